/**
 * DNS-rebinding defence: which `Host` a request may name, and whether its `Origin` is this dashboard.
 *
 * A web page on evil.example can make its name resolve to 127.0.0.1 and then read a laptop's `npm start` as if it
 * were same-origin; the only thing that differs is the `Host` header, which then names the attacker's domain. So
 * a request is served only when its Host is a configured name (`POSTURE_ALLOWED_HOSTS`, comma-separated; default
 * localhost) or an IP literal. IP literals are safe to accept: a page cannot make the browser send `Host: 10.1.2.3`
 * to a same-origin request unless the page itself was loaded from that address, and kubelet probes and Prometheus
 * scrapes address a pod by IP. `X-Forwarded-Host` is never trusted for this decision (any client can send it).
 */

export const DEFAULT_ALLOWED_HOSTS = ['localhost'];

/** `host[:port]` → host, lower-cased; brackets kept for IPv6 (`[::1]`). null when unparsable. */
export function hostName(hostHeader: string): string | null {
  const h = hostHeader.trim().toLowerCase();
  if (h === '') return null;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(0, end + 1) : null;
  }
  const colon = h.indexOf(':');
  const name = colon >= 0 ? h.slice(0, colon) : h;
  return /^[a-z0-9.-]+$/.test(name) ? name.replace(/\.$/, '') : null;
}

function isIpLiteral(name: string): boolean {
  if (name.startsWith('[') && name.endsWith(']')) return /^[0-9a-f:.]+$/.test(name.slice(1, -1));
  const parts = name.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** Parses `POSTURE_ALLOWED_HOSTS`; `*.example.com` allows subdomains of example.com. */
export function parseAllowedHosts(value: string | undefined): string[] {
  const list = (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/\.$/, ''))
    .filter(Boolean);
  return list.length > 0 ? list : DEFAULT_ALLOWED_HOSTS;
}

export function isAllowedHost(hostHeader: string | null, allowed: readonly string[]): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader);
  if (!name) return false;
  if (isIpLiteral(name)) return true;
  return allowed.some((a) => (a.startsWith('*.') ? name.endsWith(a.slice(1)) && name.length > a.length - 1 : name === a));
}

/** A request with no Origin (a navigation, curl) is fine; one with an Origin must name this very host. */
export function isSameOrigin(originHeader: string | null, hostHeader: string | null): boolean {
  if (!originHeader) return true;
  if (!hostHeader) return false;
  try {
    return new URL(originHeader).host.toLowerCase() === hostHeader.trim().toLowerCase();
  } catch {
    return false;
  }
}
