/**
 * The manifest for a build. manifest.json is the shipped one; the test build (tests, benchmarks,
 * `npm start`) adds the local demo hosts to the content scripts, the host permissions and the
 * extension pages' connect-src (the demo serves sample characters from 127.0.0.1).
 */
export const TEST_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'] as const;
const TEST_CONNECT = ['http://127.0.0.1:*', 'http://localhost:*'];

export interface ManifestShape {
  host_permissions?: string[];
  content_scripts?: { matches?: string[]; [k: string]: unknown }[];
  content_security_policy?: { extension_pages?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export function manifestFor<M extends ManifestShape>(base: M, testBuild: boolean): M {
  const m = structuredClone(base);
  if (!testBuild) return m;
  m.host_permissions = [...(m.host_permissions ?? []), ...TEST_HOSTS];
  m.content_scripts = (m.content_scripts ?? []).map((c) => ({ ...c, matches: [...(c.matches ?? []), ...TEST_HOSTS] }));
  const csp = m.content_security_policy?.extension_pages;
  if (csp) {
    m.content_security_policy = {
      ...m.content_security_policy,
      extension_pages: csp.replace(/connect-src ([^;]*)/, (_all, list: string) => `connect-src ${list} ${TEST_CONNECT.join(' ')}`),
    };
  }
  return m;
}
