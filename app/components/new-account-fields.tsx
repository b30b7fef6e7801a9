import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { TextField } from "./ui.tsx";

/** Name, e-mail and password of a new account: the same fields wherever an account is created. */
export function NewAccountFields({ errors }: { errors: Record<string, string | undefined> }) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        name="displayName"
        label={t("signUp.displayName")}
        autoComplete="name"
        error={errors.displayName}
        dir="auto"
      />
      <TextField
        name="email"
        type="email"
        label={t("signUp.email")}
        hint={t("signUp.emailHint")}
        autoComplete="email"
        error={errors.email}
        dir="ltr"
      />
      <TextField
        name="password"
        type="password"
        label={t("signUp.password")}
        hint={t("signUp.passwordHint")}
        autoComplete="new-password"
        error={errors.password}
        dir="ltr"
      />
    </>
  );
}
