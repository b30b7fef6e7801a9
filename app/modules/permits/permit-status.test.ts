import { describe, expect, it } from "vitest";
import { PERMIT_STATUSES } from "#db/schema/permit-kinds.ts";
import { effectivePermitStatus, normalisePermitNumber } from "./permit-status.ts";

describe("effectivePermitStatus", () => {
  it("keeps the stored status while the validity lasts", () => {
    for (const status of PERMIT_STATUSES) expect(effectivePermitStatus(status, false)).toBe(status);
  });

  it("shows a valid or suspended permit whose validity ended as expired, before the expiry job runs", () => {
    expect(effectivePermitStatus("valid", true)).toBe("expired");
    expect(effectivePermitStatus("suspended", true)).toBe("expired");
    expect(effectivePermitStatus("expired", true)).toBe("expired");
  });

  it("keeps a revocation whatever the dates", () => {
    expect(effectivePermitStatus("revoked", true)).toBe("revoked");
  });
});

describe("normalisePermitNumber", () => {
  it("reads a number as printed or typed", () => {
    expect(normalisePermitNumber("MOC-CL-2026-000042")).toBe("MOC-CL-2026-000042");
    expect(normalisePermitNumber("  moc-cl-2026-000042 ")).toBe("MOC-CL-2026-000042");
  });

  it.each(["", "   ", "MOC--CL", "-MOC", "MOC-", "MOC CL", "<script>", "MOC/CL", "٢٠٢٦", "X".repeat(65)])(
    "refuses %j",
    (input) => {
      expect(normalisePermitNumber(input)).toBeNull();
    },
  );
});
