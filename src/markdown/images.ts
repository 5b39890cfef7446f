/**
 * Which images in answers load by themselves (SPEC §6): those from the page's origin, the endpoint's origin
 * and the hosts the site owner lists in `image-hosts`. Any other image shows as a link the visitor can click,
 * so a prompt-injected image URL can't carry data to a third party unasked. Pure.
 */

/** Parses `image-hosts`: space-separated host names (`cdn.example.com`, `*.example.com`) or origins. */
export function parseImageHosts(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((h) => h.trim().toLowerCase())
    .filter((h) => /^(https?:\/\/)?(\*\.)?[a-z0-9.-]+(:\d+)?$/.test(h) && h !== '*');
}

/**
 * A test for image URLs (absolute, already checked by `safeUrl`). `origins`: the page's and the endpoint's
 * origins (undefined ones are skipped); `hosts`: the `image-hosts` list.
 */
export function imagePolicy(origins: (string | undefined)[], hosts: readonly string[]): (url: string) => boolean {
  const allowed = new Set(origins.filter((o): o is string => Boolean(o) && o !== 'null'));
  return (value: string) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    if (allowed.has(url.origin)) return true;
    const host = url.host.toLowerCase();
    const name = url.hostname.toLowerCase();
    return hosts.some((h) => {
      if (h.includes('://')) return h === url.origin;
      if (h.startsWith('*.')) return name.endsWith(h.slice(1));
      return h === host || h === name;
    });
  };
}
