import type { Actor } from "#app/modules/accounts/actor.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { feeFor } from "#app/modules/payments/fee-schedules.server.ts";
import { isFeePaid, requestFeePayment } from "#app/modules/payments/request-payment.server.ts";
import { AppError } from "#app/utils/errors.ts";
import type { Db, Queryable } from "#db/client.server.ts";
import type { Payment, PermitApplication, PermitType } from "#db/schema/index.ts";

/**
 * The application fee: the agency's fee schedule prices it per permit type
 * (fee type "permit", subject = the type's code); a new permit and a renewal
 * pay it, an amendment does not. It is paid through the payments module
 * (transfer, counter or card) and must be captured before submission.
 */
export const feeSubjectOf = (applicationId: string) => `permit_application:${applicationId}`;

export async function applicationFee(
  application: Pick<PermitApplication, "id" | "kind" | "businessId">,
  type: Pick<PermitType, "agencyId" | "code">,
  db: Queryable,
): Promise<{ amount: bigint; currency: string; paid: boolean } | null> {
  if (application.kind === "amendment") return null;
  const fee = await feeFor({ agencyId: type.agencyId, feeType: "permit", subject: type.code }, db);
  if (!fee || fee.amount <= 0n) return null;
  const paid = await isFeePaid(
    { payerId: application.businessId, feeType: "permit", subject: feeSubjectOf(application.id) },
    db,
  );
  return { ...fee, paid };
}

/** Ask for the fee's payment (or find the open request): the applicant then pays it on the billing page. */
export async function requestApplicationFee(
  input: { actor: Actor; application: PermitApplication; type: PermitType },
  db: Db,
): Promise<Payment> {
  assertCan(input.actor, "permit:apply");
  if (input.application.businessId !== input.actor.membership!.organisationId)
    throw new AppError("NOT_FOUND");
  if (input.application.kind === "amendment") throw new AppError("FEE_NOT_CHARGED");
  return requestFeePayment(
    {
      payerId: input.application.businessId,
      agencyId: input.type.agencyId,
      feeType: "permit",
      subject: feeSubjectOf(input.application.id),
      scheduleSubject: input.type.code,
    },
    db,
  );
}
