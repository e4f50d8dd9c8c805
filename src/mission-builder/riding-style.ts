export const RIDING_STYLES = ['gc', 'steady', 'breakaway', 'aggressive', 'mixed'] as const;
export type RidingStyle = (typeof RIDING_STYLES)[number];
export type NormalisedRidingStyle = 'steady' | 'aggressive' | 'mixed';

const NORMALISED: Record<RidingStyle, NormalisedRidingStyle> = {
  gc: 'steady',
  steady: 'steady',
  breakaway: 'aggressive',
  aggressive: 'aggressive',
  mixed: 'mixed',
};

/** `gc`/`steady` -> steady, `breakaway`/`aggressive` -> aggressive, `mixed` stays; absent -> steady. */
export function normaliseRidingStyle(style: RidingStyle | null | undefined): NormalisedRidingStyle {
  return style ? NORMALISED[style] : 'steady';
}
