/**
 * Small clinical catalogs for plausible demo records: common diagnoses with
 * their ICD-10 codes and usual prescriptions, and the LOINC codes and units
 * of the values a physical exam records.
 */

export interface DiagnosisTemplate {
  icd10: string;
  name: string;
  department: string;
  summary: string;
  prescriptions: { drug: string; dose: string; frequency: string; days: number }[];
  sensitive?: 'MENTAL_HEALTH' | 'INFECTIOUS_DISEASE' | 'REPRODUCTIVE_HEALTH';
}

export const COMMON_DIAGNOSES: DiagnosisTemplate[] = [
  {
    icd10: 'J06.9',
    name: '急性上呼吸道感染',
    department: '内科',
    summary: '咽痛、咳嗽2天，体温37.8℃，咽部充血。嘱多饮水、休息。',
    prescriptions: [{ drug: '对乙酰氨基酚片', dose: '0.5 g', frequency: '必要时，每日不超过4次', days: 3 }],
  },
  {
    icd10: 'J20.9',
    name: '急性支气管炎',
    department: '内科',
    summary: '咳嗽咳痰1周，双肺呼吸音粗。',
    prescriptions: [{ drug: '氨溴索片', dose: '30 mg', frequency: '每日3次', days: 7 }],
  },
  {
    icd10: 'K29.7',
    name: '胃炎',
    department: '消化内科',
    summary: '上腹隐痛，进食后加重。建议规律饮食。',
    prescriptions: [{ drug: '奥美拉唑肠溶胶囊', dose: '20 mg', frequency: '每日1次，早餐前', days: 14 }],
  },
  {
    icd10: 'M54.5',
    name: '腰痛',
    department: '骨科',
    summary: '弯腰劳作后腰痛，无放射痛。建议休息及热敷。',
    prescriptions: [{ drug: '布洛芬缓释胶囊', dose: '0.3 g', frequency: '每日2次', days: 5 }],
  },
  {
    icd10: 'S93.4',
    name: '踝关节扭伤',
    department: '急诊科',
    summary: '行走时扭伤右踝，局部肿胀，X线未见骨折。',
    prescriptions: [{ drug: '双氯芬酸钠凝胶', dose: '外用适量', frequency: '每日3次', days: 7 }],
  },
  {
    icd10: 'H10.9',
    name: '结膜炎',
    department: '眼科',
    summary: '双眼发红、分泌物增多。',
    prescriptions: [{ drug: '左氧氟沙星滴眼液', dose: '1滴', frequency: '每日4次', days: 7 }],
  },
  {
    icd10: 'A09',
    name: '感染性腹泻',
    department: '消化内科',
    summary: '腹泻3次/日，伴轻度脱水。',
    prescriptions: [
      { drug: '口服补液盐散', dose: '1袋', frequency: '每日3次', days: 3 },
      { drug: '蒙脱石散', dose: '3 g', frequency: '每日3次', days: 3 },
    ],
  },
  {
    icd10: 'L30.9',
    name: '皮炎',
    department: '皮肤科',
    summary: '前臂红斑瘙痒。',
    prescriptions: [{ drug: '丁酸氢化可的松乳膏', dose: '外用薄涂', frequency: '每日2次', days: 10 }],
  },
  {
    icd10: 'N39.0',
    name: '尿路感染',
    department: '泌尿外科',
    summary: '尿频尿急2天，尿常规白细胞升高。',
    prescriptions: [{ drug: '左氧氟沙星片', dose: '0.5 g', frequency: '每日1次', days: 5 }],
  },
  {
    icd10: 'K35.8',
    name: '急性阑尾炎',
    department: '普外科',
    summary: '转移性右下腹痛，行腹腔镜阑尾切除术，术后恢复良好出院。',
    prescriptions: [{ drug: '头孢呋辛酯片', dose: '0.25 g', frequency: '每日2次', days: 5 }],
  },
];

export const CHILD_DIAGNOSES: DiagnosisTemplate[] = [
  {
    icd10: 'J06.9',
    name: '急性上呼吸道感染',
    department: '儿科',
    summary: '发热1天，最高38.5℃，咽红。',
    prescriptions: [{ drug: '布洛芬混悬液', dose: '5 ml', frequency: '发热时，间隔6小时', days: 3 }],
  },
  {
    icd10: 'B08.4',
    name: '手足口病',
    department: '儿科',
    summary: '口腔疱疹及手足皮疹，精神可，居家隔离。',
    prescriptions: [{ drug: '开喉剑喷雾剂（儿童型）', dose: '喷口腔', frequency: '每日3次', days: 5 }],
  },
  {
    icd10: 'K52.9',
    name: '非感染性胃肠炎',
    department: '儿科',
    summary: '呕吐腹泻1天，轻度脱水。',
    prescriptions: [{ drug: '口服补液盐散', dose: '半袋', frequency: '每日3次', days: 3 }],
  },
];

export const SENSITIVE_DIAGNOSES: DiagnosisTemplate[] = [
  {
    icd10: 'F32.9',
    name: '抑郁发作',
    department: '精神心理科',
    summary: '情绪低落、睡眠差2个月，建议心理治疗并定期复诊。',
    prescriptions: [{ drug: '舍曲林片', dose: '50 mg', frequency: '每日1次', days: 28 }],
    sensitive: 'MENTAL_HEALTH',
  },
  {
    icd10: 'B20',
    name: '人类免疫缺陷病毒病',
    department: '感染科',
    summary: '规律抗病毒治疗中，病毒载量低于检测下限。',
    prescriptions: [{ drug: '比克恩丙诺片', dose: '1片', frequency: '每日1次', days: 30 }],
    sensitive: 'INFECTIOUS_DISEASE',
  },
  {
    icd10: 'N97.9',
    name: '女性不孕症',
    department: '生殖医学科',
    summary: '备孕2年未孕，完善相关检查。',
    prescriptions: [],
    sensitive: 'REPRODUCTIVE_HEALTH',
  },
];

export const HYPERTENSION = { icd10: 'I10', name: '原发性高血压' };
export const TYPE2_DIABETES = { icd10: 'E11.9', name: '2型糖尿病' };

export { OBSERVATION_KINDS, type ObservationKind } from '../routers/health/observation-kinds.js';

export const ALLERGIES = ['青霉素', '磺胺类药物', '头孢类药物', '花粉', '海鲜'] as const;
export const BLOOD_TYPES = ['A+', 'B+', 'O+', 'AB+', 'A-', 'O-'] as const;
export const DOCTOR_SERVICES = ['基本医疗', '健康管理', '慢病随访', '上门服务', '预约转诊'] as const;
