/** A tag that chartpress replaces when it packages a chart: a git checkout of the chart renders it as it is. */
const PLACEHOLDER_TAG = /set[-.]by[-.]chartpress/i;

/**
 * Why an image reference does not pin what runs (no tag, an empty tag, chartpress's placeholder), or undefined if
 * it does. A digest (`@sha256:...`) pins it whatever the tag.
 */
export function imageTagProblem(image: string | undefined): string | undefined {
  if (!image) return 'no image';
  if (image.includes('@sha256:')) return undefined;
  // A tag follows the last `:` after the last `/`; a `:` before that is a registry's port.
  const colon = image.indexOf(':', image.lastIndexOf('/') + 1);
  if (colon < 0) return 'no tag, so whatever :latest is when a node pulls it';
  const tag = image.slice(colon + 1);
  if (tag === '') return 'an empty tag';
  if (PLACEHOLDER_TAG.test(tag)) return `the placeholder tag ${tag}, which chartpress replaces when it packages the chart`;
  return undefined;
}
