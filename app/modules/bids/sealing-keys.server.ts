import { loadPlatformKey } from "#app/modules/ledger/platform-key.server.ts";
import type { Env } from "#app/utils/env.server.ts";
import { loadBidMasterKey } from "./master-key.server.ts";
import type { SealingKeys } from "./submit-bid.server.ts";

const loaded = new WeakMap<Env, Promise<SealingKeys>>();

/** The bid master key and the platform signing key, read once per process. */
export function sealingKeys(env: Env): Promise<SealingKeys> {
  let keys = loaded.get(env);
  if (!keys) {
    keys = Promise.all([loadBidMasterKey(env), loadPlatformKey(env)]).then(([master, platformKey]) => ({
      master,
      platformKey,
    }));
    keys.catch(() => loaded.delete(env));
    loaded.set(env, keys);
  }
  return keys;
}
