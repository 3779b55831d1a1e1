/** Shanwei's four county-level areas (administrative division codes). */
export const COUNTY_AREAS = [
  { code: '441502', zh: '城区', en: 'Chengqu' },
  { code: '441521', zh: '海丰县', en: 'Haifeng' },
  { code: '441523', zh: '陆河县', en: 'Luhe' },
  { code: '441581', zh: '陆丰市', en: 'Lufeng' },
] as const;

export type CountyAreaCode = (typeof COUNTY_AREAS)[number]['code'];
