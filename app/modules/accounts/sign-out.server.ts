import { recordAudit } from "#app/modules/audit/record-audit.server.ts";
import type { Db } from "#db/client.server.ts";
import type { Session } from "#db/schema/index.ts";
import { invalidateSession } from "./sessions.server.ts";

export async function signOut(session: Session, ip: string | null, db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await invalidateSession(tx, session.id);
    await recordAudit(tx, {
      actorUserId: session.userId,
      organisationId: session.organisationId,
      action: "auth.signed_out",
      objectType: "user",
      objectId: session.userId,
      ip,
    });
  });
}
