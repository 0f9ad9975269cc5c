/**
 * Module addresses of a plan (`module.a["k.x"].module.b[0]`): split into their calls and walked up
 * to the parent module, for module walking and reference following.
 */
/**
 * Splits a module address (`module.a["k.x"].module.b[0]`) into its calls, by a linear scan (keys
 * may hold dots and brackets inside quotes; no pattern runs over the address). Undefined when it
 * is not a module address.
 */
export function moduleSegments(address: string): { name: string; start: number }[] | undefined {
  const out: { name: string; start: number }[] = [];
  let i = 0;
  if (address === '') return out;
  for (;;) {
    const start = i;
    if (!address.startsWith('module.', i)) return undefined;
    i += 'module.'.length;
    const nameStart = i;
    while (i < address.length && isNameChar(address.charCodeAt(i))) i++;
    if (i === nameStart) return undefined;
    out.push({ name: address.slice(nameStart, i), start });
    if (address[i] === '[') {
      i++;
      if (address[i] === '"') {
        i++;
        while (i < address.length && address[i] !== '"') i += address[i] === '\\' ? 2 : 1;
        i++;
      } else {
        while (i < address.length && address[i] !== ']') i++;
      }
      if (address[i] !== ']') return undefined;
      i++;
    }
    if (i === address.length) return out;
    if (address[i] !== '.') return undefined;
    i++;
  }
}

function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;
}

/** `module.a.module.b[0]` -> `module.a`; `module.a` -> ''; undefined when not a module address. */
export function parentModuleAddress(address: string): string | undefined {
  const segments = moduleSegments(address);
  const last = segments?.[segments.length - 1];
  if (!segments || !last) return undefined;
  return last.start === 0 ? '' : address.slice(0, last.start - 1);
}
