// Builds a strict zod schema from a defaults object, so that the defaults stay the one place
// where a setting's type is stated; `refine` adds ranges and enumerations by dotted path.
import { z } from 'zod';

export type Refinements = Record<string, z.ZodType>;

export function schemaFromDefaults(value: unknown, refine: Refinements = {}, path = ''): z.ZodType {
  const own = refine[path];
  if (own) return own;
  if (typeof value === 'number') return z.number();
  if (typeof value === 'string') return z.string();
  if (typeof value === 'boolean') return z.boolean();
  // A null default says nothing of the type it stands for: the caller must state it.
  if (value === null) throw new Error(`config schema: '${path}' defaults to null and has no refinement`);
  if (Array.isArray(value)) {
    const element = refine[`${path}[]`] ?? (value.length > 0 ? schemaFromDefaults(value[0], refine, `${path}[]`) : z.unknown());
    return z.array(element);
  }
  if (value !== null && typeof value === 'object') {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      shape[key] = schemaFromDefaults(child, refine, childPath);
    }
    // Optional keys documented in the options interfaces but absent from the defaults.
    for (const [p, schema] of Object.entries(refine)) {
      const prefix = path ? `${path}.` : '';
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      if (rest.includes('.') || rest.endsWith('[]') || rest in shape || rest === '') continue;
      shape[rest] = schema.optional();
    }
    return z.strictObject(shape);
  }
  return z.unknown();
}

/**
 * Deep merge for configuration: objects merge key by key, everything else (arrays too) replaces.
 * A tagged object (one with `kind`) whose kind changes is replaced whole, so the fields of one
 * variant never leak into another.
 */
export function mergeConfig<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  if ('kind' in base && 'kind' in override && base.kind !== override.kind) return override as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(override)) out[k] = k in out ? mergeConfig(out[k], v) : v;
  return out as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
