/**
 * The service's icon (a red rear lantern, the lanterne rouge), served as /favicon.ico and
 * /favicon.svg, and in place of the Redocly logo ReDoc would otherwise fetch from its CDN.
 */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect x="11" y="2" width="10" height="5" rx="2" fill="#37474f"/>
<rect x="7" y="7" width="18" height="21" rx="5" fill="#c62828"/>
<circle cx="16" cy="17.5" r="6" fill="#ff8a80"/>
<rect x="9" y="28" width="14" height="2" rx="1" fill="#37474f"/>
</svg>
`;
