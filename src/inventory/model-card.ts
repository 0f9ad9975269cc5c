/**
 * The model a SageMaker Model Card documents, read from its content: `model_overview.model_id`
 * (the model ARN for a model created in SageMaker, else a free-form id) and `model_overview.model_name`.
 */

/** Content is at most 100,000 characters (CreateModelCard); anything much larger is not read. */
const MAX_CONTENT = 1_000_000;

export interface ModelCardOverview {
  modelId: string | null;
  modelName: string | null;
}

/**
 * The overview of a card's content given as the JSON string the API returns. undefined when the
 * content is absent, unreadable or has no `model_overview` (DescribeModelCard's metadata-only
 * answer may leave it out, so its absence proves nothing); a field the overview lacks is null.
 */
export function modelCardOverviewOf(content: string | undefined): ModelCardOverview | undefined {
  if (typeof content !== 'string' || content.length === 0 || content.length > MAX_CONTENT) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  return overviewFrom(isObject(parsed) ? parsed.model_overview : undefined);
}

/** The same from an already parsed overview object (a template's Content.ModelOverview). */
export function overviewFrom(overview: unknown, idKey = 'model_id', nameKey = 'model_name'): ModelCardOverview | undefined {
  if (!isObject(overview)) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return { modelId: text(overview[idKey]), modelName: text(overview[nameKey]) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
