/**
 * A UUID v4 (RFC 9562, section 5.4) from cryptographic random bytes. Works on plain-http
 * pages, where `crypto.randomUUID` does not exist.
 * @param random - returns n cryptographically random bytes (nanoid's `random`).
 */
export const uuid = (random: (bytes: number) => Uint8Array): string => {
  // One call for all 31 digits: each call to getRandomValues costs tens of microseconds.
  const bytes = random(31)
  let i = 0
  // The template's 0s, 1s and 8s become random hex digits; the 4 (version) stays, and
  // 8 >> 2 keeps the variant bits at 10xx.
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (bytes[i++]! & (15 >> (+c / 4)))).toString(16))
}
