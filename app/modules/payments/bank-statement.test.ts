import { describe, expect, test } from "vitest";
import { findReference, parseStatement, StatementError } from "./bank-statement.ts";

const csv = (text: string) => Buffer.from(text, "utf8");

describe("bank statements", () => {
  test("reads English and Arabic headers, credit lines only, references from the description", () => {
    const lines = parseStatement(
      csv(
        "\uFEFFDate,Description,Amount,Currency,Transaction ID\n" +
          "2026-11-20,Transfer from Al Noor ref shf-ab2c-de3f,12.500,KWD,TX-1\n" +
          "20/11/2026,Bank charges,-1.000,KWD,TX-2\n" +
          '21/11/2026,"Payment, no reference",5.000,KWD,TX-3\n',
      ),
      "KWD",
    );
    expect(lines).toEqual([
      expect.objectContaining({
        line: 1,
        amount: 12_500n,
        reference: "SHF-AB2C-DE3F",
        bookedOn: "2026-11-20",
      }),
      expect.objectContaining({ line: 3, amount: 5_000n, reference: null, bookedOn: "2026-11-21" }),
    ]);
    const arabic = parseStatement(
      csv("التاريخ,البيان,المبلغ,رقم العملية\n2026-11-22,حوالة SHF-AAAA-BBBB,١٢٫٥,T9\n"),
      "KWD",
    );
    expect(arabic[0]).toMatchObject({ amount: 12_500n, currency: "KWD", reference: "SHF-AAAA-BBBB" });
  });

  test("anything unreadable is refused whole, naming the line", () => {
    const bad = [
      "Date,Description,Amount\n2026-11-20,x,1\n", // no id column
      "Date,Description,Amount,ID\n2026-13-40,x,1,A\n", // impossible date
      "Date,Description,Amount,ID\n2026-11-20,x,1.2345,A\n", // too many decimals for KWD
      "Date,Description,Amount,ID\n2026-11-20,x,1,A\n2026-11-21,y,2,A\n", // same id twice
      'Date,Description,Amount,ID\n2026-11-20,"unterminated,1,A\n',
      "",
    ];
    for (const text of bad) expect(() => parseStatement(csv(text), "KWD")).toThrow(StatementError);
    expect(() => parseStatement(csv("Date,Description,Amount,ID\n2026-11-20,x,1.2345,A\n"), "KWD")).toThrow(
      /line 1/,
    );
  });

  test("references use the unambiguous alphabet only", () => {
    expect(findReference("paid SHF-AB2C-DE3F thanks")).toBe("SHF-AB2C-DE3F");
    expect(findReference("SHF-AB0C-DE1F")).toBeNull(); // 0 and 1 are never issued
  });
});
