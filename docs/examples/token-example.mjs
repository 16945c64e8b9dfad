// Signs subscriber tokens the two ways docs/security.md shows (jsonwebtoken, and node:crypto with no
// dependency) and checks them against a running hub started with
//   REALTIME_PRIVATE_TYPES=blog REALTIME_TOKEN_SECRETS=2027-01:$SECRET REALTIME_TOKEN_AUDIENCE=event-hub
// Run: (cd docs/examples && npm install && HUB=http://localhost:8080 SECRET=... node token-example.mjs)
import { createHmac } from "node:crypto";
import jwt from "jsonwebtoken";

const HUB = process.env.HUB ?? "http://localhost:8080";
const SECRET = process.env.SECRET;

const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function realtimeToken(sub, topics, { kid, secret, audience, seconds = 600 }) {
  const exp = Math.floor(Date.now() / 1000) + seconds;
  const header = kid ? { alg: "HS256", typ: "JWT", kid } : { alg: "HS256", typ: "JWT" };
  const claims = audience ? { sub, topics, exp, aud: audience } : { sub, topics, exp };
  const unsigned = `${part(header)}.${part(claims)}`;
  const signature = createHmac("sha256", secret).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}

const withJsonwebtoken = (keyid, audience) =>
  jwt.sign({ sub: "42", topics: ["blog/42/*"] }, SECRET, { algorithm: "HS256", keyid, audience, expiresIn: "10m" });

const cases = [
  ["jsonwebtoken, kid 2027-01, aud event-hub", withJsonwebtoken("2027-01", "event-hub"), 200],
  ["node:crypto, kid 2027-01, aud event-hub", realtimeToken("42", ["blog/42/*"], { kid: "2027-01", secret: SECRET, audience: "event-hub" }), 200],
  ["jsonwebtoken, unknown kid", withJsonwebtoken("2026-01", "event-hub"), 401],
  ["node:crypto, another audience", realtimeToken("42", ["blog/42/*"], { kid: "2027-01", secret: SECRET, audience: "billing" }), 401],
];

let failed = 0;
for (const [name, token, expected] of cases) {
  const response = await fetch(`${HUB}/api/history/blog/42/comments`, { headers: { Authorization: `Bearer ${token}` } });
  const ok = response.status === expected;
  failed += ok ? 0 : 1;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}: ${response.status} (expected ${expected})`);
}
process.exit(failed === 0 ? 0 : 1);
