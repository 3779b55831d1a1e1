/** Home-care services and the subsidy are for residents of 60 and over (老年人: 六十周岁以上). */
export const ELDERCARE_MIN_AGE = 60;
