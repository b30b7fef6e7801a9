import { COUNTRIES, type Country, type Region, regionsOf } from "#app/modules/discovery/regions.ts";
import { agencyCode } from "#app/modules/tenders/tender-rules.ts";

/**
 * Realistic bilingual tenders, generated: agencies of seven countries and
 * their regions, and tenders from templates of what governments buy (roads,
 * schools, hospitals, street lighting, IT, cleaning, catering, medical
 * supplies, water, vehicles, guarding, consultancy) with real CPV 2008 codes,
 * UN/ECE units and values in each agency's currency. The Arabic is written as
 * people write it: with and without hamza, ة or ه, ى or ي, sometimes tatweel or
 * a vowel mark, years in Arabic-Indic or Western digits — what search has to
 * see through.
 *
 * Pure and deterministic for a given seed: no database, no clock (the caller
 * passes "now"). db/generate/load-tenders.server.ts writes what this makes.
 */

// ---------------------------------------------------------------- randomness

/** A small seeded PRNG (mulberry32): the same seed gives the same data set. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

// ---------------------------------------------------------------- agencies

type ThemeKey =
  | "roads"
  | "schools"
  | "hospitals"
  | "lighting"
  | "it"
  | "cleaning"
  | "catering"
  | "medical"
  | "water"
  | "vehicles"
  | "security"
  | "consultancy";

interface AgencyKind {
  slug: string;
  ar: string;
  en: string;
  themes: ThemeKey[];
}

const CENTRAL_AGENCIES: AgencyKind[] = [
  {
    slug: "ministry-of-public-works",
    ar: "وزارة الأشغال العامة",
    en: "Ministry of Public Works",
    themes: ["roads", "water", "schools", "hospitals", "consultancy"],
  },
  {
    slug: "ministry-of-health",
    ar: "وزارة الصحة",
    en: "Ministry of Health",
    themes: ["hospitals", "medical", "catering", "cleaning", "it", "vehicles"],
  },
  {
    slug: "ministry-of-education",
    ar: "وزارة التربية والتعليم",
    en: "Ministry of Education",
    themes: ["schools", "catering", "it", "cleaning", "security"],
  },
  {
    slug: "ministry-of-electricity-and-water",
    ar: "وزارة الكهرباء والماء",
    en: "Ministry of Electricity and Water",
    themes: ["lighting", "water", "it", "vehicles"],
  },
  {
    slug: "ministry-of-interior",
    ar: "وزارة الداخلية",
    en: "Ministry of Interior",
    themes: ["vehicles", "security", "it", "catering"],
  },
  {
    slug: "central-agency-for-information-technology",
    ar: "الجهاز المركزي لتكنولوجيا المعلومات",
    en: "Central Agency for Information Technology",
    themes: ["it", "consultancy"],
  },
  {
    slug: "public-authority-for-housing",
    ar: "الهيئة العامة للرعاية السكنية",
    en: "Public Authority for Housing Welfare",
    themes: ["roads", "water", "schools", "lighting", "consultancy"],
  },
];

const MUNICIPAL_THEMES: ThemeKey[] = ["roads", "lighting", "cleaning", "security", "water"];

export interface GeneratedAgency {
  slug: string;
  nameAr: string;
  nameEn: string;
  country: string;
  region: string;
  currency: string;
  timeZone: string;
  /** Places its tenders name (its own region for a municipality, any of the country's otherwise). */
  places: Region[];
  themes: ThemeKey[];
  code: string;
}

/** Seven central agencies per country (seated in the capital region) and one municipality per region. */
export function generateAgencies(): GeneratedAgency[] {
  const agencies: GeneratedAgency[] = [];
  const base = (country: Country) => ({
    country: country.code,
    currency: country.currency,
    timeZone: country.timeZone,
  });
  for (const country of COUNTRIES) {
    const regions = regionsOf(country.code);
    for (const kind of CENTRAL_AGENCIES) {
      const slug = `${country.code.toLowerCase()}-${kind.slug}`;
      agencies.push({
        ...base(country),
        slug,
        nameAr: `${kind.ar} - ${country.ar}`,
        nameEn: `${kind.en} (${country.en})`,
        region: regions[0]!.code,
        places: regions,
        themes: kind.themes,
        code: agencyCode(slug),
      });
    }
    for (const region of regions) {
      const slug = `${region.code.toLowerCase()}-municipality`;
      agencies.push({
        ...base(country),
        slug,
        nameAr: `بلدية ${region.ar} - ${country.ar}`,
        nameEn: `${region.en} Municipality (${country.en})`,
        region: region.code,
        places: [region],
        themes: MUNICIPAL_THEMES,
        code: agencyCode(slug),
      });
    }
  }
  return agencies;
}

// ---------------------------------------------------------------- themes

interface Text {
  ar: string;
  en: string;
}
interface ItemTemplate extends Text {
  unit: string;
  quantity: [number, number];
}
interface LotTemplate extends Text {
  items: ItemTemplate[];
}
interface Theme {
  category: "goods" | "works" | "services";
  cpv: string[];
  /** {place} and {year} are filled in. */
  titles: Text[];
  descriptions: Text[];
  lots: LotTemplate[];
  /** Estimated value in US dollars (converted to the agency's currency). */
  valueUsd: [number, number];
}

const item = (ar: string, en: string, unit: string, quantity: [number, number]): ItemTemplate => ({
  ar,
  en,
  unit,
  quantity,
});

export const THEMES: Record<ThemeKey, Theme> = {
  roads: {
    category: "works",
    cpv: ["45233120-6", "45233141-9", "45233140-2", "45233222-1", "45232130-2"],
    titles: [
      { ar: "صيانة الطرق الداخلية في {place}", en: "Maintenance of internal roads in {place}" },
      { ar: "إعادة تأهيل الطريق السريع في {place}", en: "Rehabilitation of the expressway in {place}" },
      { ar: "أعمال السفلتة وإعادة الرصف في {place}", en: "Asphalting and resurfacing works in {place}" },
      {
        ar: "إنشاء جسر مشاة على الطريق الدائري في {place}",
        en: "Construction of a pedestrian bridge on the ring road in {place}",
      },
      {
        ar: "توسعة وتطوير تقاطعات الطرق في {place} {year}",
        en: "Widening and upgrading of road junctions in {place} {year}",
      },
    ],
    descriptions: [
      {
        ar: "تنفيذ أعمال صيانة شاملة للطرق تشمل كشط الطبقة الإسفلتية وإعادة الرصف وتخطيط الطرق وتركيب اللوحات الإرشادية.",
        en: "Comprehensive road maintenance including milling of the asphalt layer, resurfacing, road marking and installation of traffic signs.",
      },
      {
        ar: "إنشاء طرق جديدة مع أعمال تصريف مياه الأمطار والأرصفة وإنارة الشوارع وفق المواصفات المعتمدة.",
        en: "Construction of new roads with storm-water drainage, pavements and street lighting to the approved specifications.",
      },
    ],
    lots: [
      {
        ar: "أعمال الإسفلت",
        en: "Asphalt works",
        items: [
          item("خلطة إسفلتية ساخنة", "Hot-mix asphalt", "TNE", [500, 20000]),
          item("طبقة أساس من الحصى المدرج", "Graded aggregate base course", "MTQ", [200, 8000]),
          item("كشط الطبقة السطحية", "Milling of the surface course", "MTK", [1000, 50000]),
        ],
      },
      {
        ar: "السلامة المرورية",
        en: "Road safety",
        items: [
          item("دهان خطوط الطرق العاكس", "Reflective road-marking paint", "MTR", [2000, 60000]),
          item("لوحات إرشادية", "Traffic signs", "H87", [20, 800]),
          item("حواجز خرسانية", "Concrete barriers", "MTR", [100, 5000]),
        ],
      },
      {
        ar: "تصريف مياه الأمطار",
        en: "Storm-water drainage",
        items: [
          item("أنابيب خرسانية مسلحة", "Reinforced concrete pipes", "MTR", [100, 6000]),
          item("غرف تفتيش", "Inspection chambers", "H87", [10, 400]),
        ],
      },
    ],
    valueUsd: [300_000, 60_000_000],
  },
  schools: {
    category: "works",
    cpv: ["45214200-2", "45214210-5", "45453000-7", "39130000-2"],
    titles: [
      { ar: "إنشاء مدرسة ابتدائية في {place}", en: "Construction of a primary school in {place}" },
      {
        ar: "صيانة المباني المدرسية في {place} للعام الدراسي {year}",
        en: "Maintenance of school buildings in {place} for the {year} school year",
      },
      {
        ar: "إضافة فصول دراسية لمدرسة {place} الثانوية",
        en: "Additional classrooms for {place} Secondary School",
      },
      {
        ar: "تأهيل المختبرات العلمية في المدارس الحكومية",
        en: "Refurbishment of science laboratories in public schools",
      },
    ],
    descriptions: [
      {
        ar: "تصميم وتنفيذ مبنى مدرسي متكامل يشمل الفصول الدراسية والمختبرات والصالة الرياضية والمرافق الخدمية.",
        en: "Design and construction of a complete school building with classrooms, laboratories, a sports hall and service facilities.",
      },
      {
        ar: "أعمال الصيانة الوقائية والتصحيحية للمدارس بما فيها التكييف والكهرباء والسباكة والدهانات.",
        en: "Preventive and corrective maintenance of schools including air conditioning, electrical, plumbing and painting works.",
      },
    ],
    lots: [
      {
        ar: "الأعمال الإنشائية",
        en: "Structural works",
        items: [
          item("خرسانة مسلحة", "Reinforced concrete", "MTQ", [200, 6000]),
          item("طابوق إسمنتي", "Concrete blocks", "MTK", [500, 20000]),
        ],
      },
      {
        ar: "الأثاث المدرسي",
        en: "School furniture",
        items: [
          item("مقاعد طلاب", "Student desks", "H87", [100, 4000]),
          item("سبورات ذكية تفاعلية", "Interactive smart whiteboards", "H87", [10, 300]),
        ],
      },
      {
        ar: "التكييف",
        en: "Air conditioning",
        items: [item("وحدات تكييف مركزية", "Central air-conditioning units", "H87", [4, 120])],
      },
    ],
    valueUsd: [200_000, 25_000_000],
  },
  hospitals: {
    category: "works",
    cpv: ["45215140-0", "45215100-8", "45262700-8"],
    titles: [
      {
        ar: "توسعة قسم الطوارئ في مستشفى {place}",
        en: "Expansion of the emergency department at {place} Hospital",
      },
      {
        ar: "إنشاء مركز رعاية صحية أولية في {place}",
        en: "Construction of a primary health care centre in {place}",
      },
      {
        ar: "صيانة وتشغيل الأنظمة الكهروميكانيكية في مستشفى {place}",
        en: "Maintenance and operation of electromechanical systems at {place} Hospital",
      },
    ],
    descriptions: [
      {
        ar: "تنفيذ الأعمال المدنية والكهربائية والميكانيكية وأنظمة الغازات الطبية ومكافحة الحريق وفق معايير المنشآت الصحية.",
        en: "Civil, electrical and mechanical works, medical gas and fire-fighting systems to health facility standards.",
      },
    ],
    lots: [
      {
        ar: "الأعمال المدنية",
        en: "Civil works",
        items: [
          item("خرسانة مسلحة للأساسات", "Reinforced concrete for foundations", "MTQ", [300, 9000]),
          item("أرضيات فينيل طبية", "Medical-grade vinyl flooring", "MTK", [500, 15000]),
        ],
      },
      {
        ar: "الغازات الطبية",
        en: "Medical gases",
        items: [item("مخارج غازات طبية جدارية", "Wall-mounted medical gas outlets", "H87", [20, 600])],
      },
    ],
    valueUsd: [1_000_000, 90_000_000],
  },
  lighting: {
    category: "works",
    cpv: ["45316110-9", "34993000-4", "31527260-6"],
    titles: [
      { ar: "إنارة الطرق الرئيسية في {place}", en: "Street lighting of main roads in {place}" },
      {
        ar: "استبدال وحدات الإنارة بمصابيح LED موفرة للطاقة في {place}",
        en: "Replacement of light fittings with energy-saving LED lamps in {place}",
      },
      {
        ar: "صيانة أعمدة الإنارة في {place} لمدة ثلاث سنوات",
        en: "Three-year maintenance of lighting poles in {place}",
      },
    ],
    descriptions: [
      {
        ar: "توريد وتركيب أعمدة إنارة وكشافات LED وكابلات أرضية ولوحات تحكم مع الصيانة الدورية.",
        en: "Supply and installation of lighting poles, LED luminaires, underground cables and control panels with periodic maintenance.",
      },
    ],
    lots: [
      {
        ar: "الأعمدة والكشافات",
        en: "Poles and luminaires",
        items: [
          item("أعمدة إنارة مجلفنة بارتفاع 12 متراً", "Galvanised lighting poles, 12 m", "H87", [50, 3000]),
          item("كشافات LED بقدرة 150 واط", "150 W LED luminaires", "H87", [50, 6000]),
        ],
      },
      {
        ar: "الكابلات ولوحات التحكم",
        en: "Cables and control panels",
        items: [
          item("كابلات نحاسية أرضية", "Underground copper cables", "MTR", [1000, 80000]),
          item("لوحات تحكم ذكية للإنارة", "Smart lighting control panels", "H87", [5, 200]),
        ],
      },
    ],
    valueUsd: [100_000, 12_000_000],
  },
  it: {
    category: "goods",
    cpv: ["30213100-6", "48000000-8", "72000000-5", "32420000-3", "72222300-0", "48820000-2"],
    titles: [
      { ar: "توريد أجهزة حاسب آلي محمولة", en: "Supply of laptop computers" },
      {
        ar: "تطوير نظام إلكتروني لإدارة الموارد البشرية",
        en: "Development of an electronic human resources management system",
      },
      {
        ar: "توريد وتركيب معدات شبكات وخوادم لمركز البيانات",
        en: "Supply and installation of network equipment and servers for the data centre",
      },
      {
        ar: "تجديد تراخيص البرمجيات والدعم الفني لعام {year}",
        en: "Renewal of software licences and technical support for {year}",
      },
      { ar: "خدمات الأمن السيبراني ومراقبة الشبكات", en: "Cybersecurity and network monitoring services" },
    ],
    descriptions: [
      {
        ar: "توريد وتركيب وتشغيل الأجهزة والبرمجيات مع الضمان والتدريب والدعم الفني لمدة ثلاث سنوات.",
        en: "Supply, installation and commissioning of hardware and software with warranty, training and three years of technical support.",
      },
      {
        ar: "تحليل المتطلبات وتصميم وتطوير النظام وترحيل البيانات وتدريب المستخدمين.",
        en: "Requirements analysis, system design and development, data migration and user training.",
      },
    ],
    lots: [
      {
        ar: "الأجهزة",
        en: "Hardware",
        items: [
          item("حاسب محمول", "Laptop computer", "H87", [20, 3000]),
          item("خادم مركزي", "Rack server", "H87", [2, 60]),
          item("مبدل شبكة", "Network switch", "H87", [5, 200]),
        ],
      },
      {
        ar: "البرمجيات والتراخيص",
        en: "Software and licences",
        items: [
          item("ترخيص برمجي سنوي", "Annual software licence", "H87", [50, 5000]),
          item("جدار حماية للشبكة", "Network firewall appliance", "H87", [1, 20]),
        ],
      },
    ],
    valueUsd: [30_000, 8_000_000],
  },
  cleaning: {
    category: "services",
    cpv: ["90910000-9", "90911200-8", "90919200-4", "90510000-5"],
    titles: [
      {
        ar: "خدمات نظافة المباني الحكومية في {place}",
        en: "Cleaning services for government buildings in {place}",
      },
      { ar: "نظافة الشوارع وجمع النفايات في {place}", en: "Street cleaning and waste collection in {place}" },
      {
        ar: "خدمات تنظيف المستشفيات والمراكز الصحية",
        en: "Cleaning services for hospitals and health centres",
      },
    ],
    descriptions: [
      {
        ar: "توفير العمالة والمعدات ومواد النظافة اللازمة لأعمال التنظيف اليومي والدوري لمدة سنتين.",
        en: "Provision of the labour, equipment and cleaning materials for daily and periodic cleaning over two years.",
      },
    ],
    lots: [
      {
        ar: "العمالة",
        en: "Labour",
        items: [item("عامل نظافة", "Cleaning worker", "MON", [24, 2400])],
      },
      {
        ar: "المعدات والمواد",
        en: "Equipment and materials",
        items: [
          item("مواد ومستلزمات تنظيف", "Cleaning materials and supplies", "SET", [12, 240]),
          item("حاويات نفايات", "Waste containers", "H87", [50, 2000]),
        ],
      },
    ],
    valueUsd: [50_000, 6_000_000],
  },
  catering: {
    category: "services",
    cpv: ["55520000-1", "55523100-3", "55321000-6", "15800000-6"],
    titles: [
      {
        ar: "تقديم الوجبات الغذائية للمرضى في مستشفى {place}",
        en: "Meal services for patients at {place} Hospital",
      },
      {
        ar: "خدمات الإعاشة والتغذية للطلاب في {place}",
        en: "Catering and nutrition services for students in {place}",
      },
      { ar: "توريد المواد الغذائية الجافة لعام {year}", en: "Supply of dry food items for {year}" },
    ],
    descriptions: [
      {
        ar: "إعداد وتقديم الوجبات الغذائية وفق الاشتراطات الصحية مع توريد المواد الغذائية وتشغيل المطابخ.",
        en: "Preparation and serving of meals to health requirements, with the supply of food items and the running of the kitchens.",
      },
    ],
    lots: [
      {
        ar: "الوجبات",
        en: "Meals",
        items: [
          item("وجبة غداء", "Lunch meal", "H87", [10000, 900000]),
          item("وجبة إفطار", "Breakfast meal", "H87", [10000, 900000]),
        ],
      },
      {
        ar: "المواد الغذائية",
        en: "Food items",
        items: [
          item("أرز بسمتي", "Basmati rice", "KGM", [1000, 200000]),
          item("حليب طويل الأجل", "Long-life milk", "LTR", [1000, 300000]),
        ],
      },
    ],
    valueUsd: [40_000, 5_000_000],
  },
  medical: {
    category: "goods",
    cpv: ["33140000-3", "33600000-6", "33100000-1", "33141000-0", "33190000-8", "33696500-0"],
    titles: [
      { ar: "توريد مستلزمات طبية استهلاكية", en: "Supply of medical consumables" },
      {
        ar: "توريد أدوية ومستحضرات صيدلانية لعام {year}",
        en: "Supply of medicines and pharmaceutical products for {year}",
      },
      { ar: "توريد أجهزة أشعة مقطعية لمستشفى {place}", en: "Supply of CT scanners for {place} Hospital" },
      { ar: "توريد أسرة مستشفيات كهربائية", en: "Supply of electric hospital beds" },
    ],
    descriptions: [
      {
        ar: "توريد المستلزمات والأجهزة الطبية المسجلة لدى الجهة الرقابية مع التوصيل إلى المستودعات الطبية.",
        en: "Supply of registered medical devices and consumables with delivery to the medical stores.",
      },
    ],
    lots: [
      {
        ar: "المستهلكات",
        en: "Consumables",
        items: [
          item("قفازات طبية", "Medical gloves", "BX", [500, 50000]),
          item("محاقن معقمة", "Sterile syringes", "H87", [10000, 900000]),
          item("كمامات جراحية", "Surgical masks", "BX", [500, 60000]),
        ],
      },
      {
        ar: "الأجهزة",
        en: "Equipment",
        items: [
          item("جهاز تصوير مقطعي", "CT scanner", "H87", [1, 6]),
          item("سرير مستشفى كهربائي", "Electric hospital bed", "H87", [10, 500]),
        ],
      },
    ],
    valueUsd: [20_000, 15_000_000],
  },
  water: {
    category: "works",
    cpv: ["45232150-8", "45231300-8", "45246000-3", "44163100-1"],
    titles: [
      { ar: "تمديد شبكة مياه الشرب في {place}", en: "Extension of the drinking-water network in {place}" },
      {
        ar: "إنشاء خزان مياه أرضي في {place}",
        en: "Construction of an underground water reservoir in {place}",
      },
      { ar: "صيانة شبكات الصرف الصحي في {place}", en: "Maintenance of the sewerage networks in {place}" },
    ],
    descriptions: [
      {
        ar: "توريد وتمديد الأنابيب وتركيب المحابس والعدادات وأعمال الحفر والردم والاختبار والتشغيل.",
        en: "Supply and laying of pipes, installation of valves and meters, excavation, backfilling, testing and commissioning.",
      },
    ],
    lots: [
      {
        ar: "الأنابيب",
        en: "Pipes",
        items: [
          item("أنابيب بولي إيثيلين عالية الكثافة", "High-density polyethylene pipes", "MTR", [1000, 90000]),
          item("محابس تحكم", "Gate valves", "H87", [20, 900]),
        ],
      },
      {
        ar: "العدادات",
        en: "Meters",
        items: [item("عدادات مياه ذكية", "Smart water meters", "H87", [100, 20000])],
      },
    ],
    valueUsd: [200_000, 40_000_000],
  },
  vehicles: {
    category: "goods",
    cpv: ["34114000-9", "34110000-1", "34144000-8", "50110000-9"],
    titles: [
      { ar: "توريد سيارات إسعاف مجهزة", en: "Supply of equipped ambulances" },
      { ar: "توريد مركبات دفع رباعي", en: "Supply of four-wheel-drive vehicles" },
      {
        ar: "صيانة أسطول المركبات الحكومية لعام {year}",
        en: "Maintenance of the government vehicle fleet for {year}",
      },
    ],
    descriptions: [
      {
        ar: "توريد مركبات جديدة مطابقة للمواصفات مع الضمان وخدمة ما بعد البيع وتوفير قطع الغيار.",
        en: "Supply of new vehicles to specification with warranty, after-sales service and spare parts.",
      },
    ],
    lots: [
      {
        ar: "المركبات",
        en: "Vehicles",
        items: [
          item("سيارة إسعاف مجهزة", "Equipped ambulance", "H87", [2, 80]),
          item("مركبة دفع رباعي", "Four-wheel-drive vehicle", "H87", [5, 200]),
        ],
      },
    ],
    valueUsd: [100_000, 20_000_000],
  },
  security: {
    category: "services",
    cpv: ["79710000-4", "79714000-2"],
    titles: [
      {
        ar: "خدمات الحراسة الأمنية لمباني {place}",
        en: "Security guarding services for buildings in {place}",
      },
      { ar: "تشغيل وصيانة أنظمة المراقبة التلفزيونية", en: "Operation and maintenance of CCTV systems" },
    ],
    descriptions: [
      {
        ar: "توفير حراس أمن مدربين على مدار الساعة مع الإشراف والزي الرسمي وأجهزة الاتصال.",
        en: "Trained security guards around the clock with supervision, uniforms and radios.",
      },
    ],
    lots: [
      {
        ar: "الحراسة",
        en: "Guarding",
        items: [item("حارس أمن", "Security guard", "MON", [12, 1200])],
      },
    ],
    valueUsd: [40_000, 3_000_000],
  },
  consultancy: {
    category: "services",
    cpv: ["71000000-8", "71300000-1", "71520000-9"],
    titles: [
      {
        ar: "خدمات استشارية لتصميم والإشراف على مشاريع الطرق في {place}",
        en: "Consultancy services for the design and supervision of road projects in {place}",
      },
      {
        ar: "الإشراف الهندسي على إنشاء المباني العامة",
        en: "Engineering supervision of the construction of public buildings",
      },
      {
        ar: "دراسة جدوى لمشروع النقل العام في {place}",
        en: "Feasibility study for the public transport project in {place}",
      },
    ],
    descriptions: [
      {
        ar: "تقديم الخدمات الاستشارية الهندسية من إعداد التصاميم وجداول الكميات إلى الإشراف على التنفيذ والاستلام.",
        en: "Engineering consultancy from designs and bills of quantities to supervision of the works and handover.",
      },
    ],
    lots: [
      {
        ar: "الخدمات الاستشارية",
        en: "Consultancy services",
        items: [
          item("مهندس إشراف مقيم", "Resident supervision engineer", "MON", [6, 120]),
          item("إعداد التصاميم التفصيلية", "Detailed design", "E48", [1, 10]),
        ],
      },
    ],
    valueUsd: [50_000, 4_000_000],
  },
};

/** Closing sentences that vary descriptions. */
const CLOSINGS: Text[] = [
  {
    ar: "مدة التنفيذ {months} شهراً من تاريخ استلام الموقع.",
    en: "Completion within {months} months of site handover.",
  },
  {
    ar: "يلتزم المقاول بنسبة التوطين المقررة.",
    en: "The contractor shall meet the required local-content share.",
  },
  { ar: "تقدم العروض إلكترونياً عبر منصة شفاف.", en: "Bids are submitted electronically through Shafaf." },
  { ar: "الضمان لمدة سنتين بعد الاستلام الابتدائي.", en: "Two-year warranty after provisional acceptance." },
];

// ---------------------------------------------------------------- Arabic as people type it

const HARAKAT = ["\u064E", "\u064F", "\u0650", "\u0651", "\u0652"];
const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

/**
 * Spelling as found in real titles: hamza on alef dropped (أ إ آ → ا), final
 * ة written ه, final ى written ي (and back), a tatweel or a vowel mark here and
 * there. The meaning is the same; search must find one from the other.
 */
export function varySpelling(text: string, rng: Rng): string {
  return text
    .split(" ")
    .map((word) => {
      let w = word;
      if (rng() < 0.25) w = w.replace(/[أإآ]/g, "ا");
      if (rng() < 0.15) w = w.replace(/ة$/, "ه");
      else if (rng() < 0.1) w = w.replace(/ى$/, "ي");
      else if (rng() < 0.05) w = w.replace(/ي$/, "ى");
      if (w.length > 3 && rng() < 0.02) w = `${w.slice(0, 2)}\u0640${w.slice(2)}`;
      if (w.length > 2 && rng() < 0.02) w = `${w.slice(0, 2)}${pick(rng, HARAKAT)}${w.slice(2)}`;
      return w;
    })
    .join(" ");
}

const toArabicDigits = (text: string) => text.replace(/\d/g, (d) => ARABIC_DIGITS[Number(d)]!);

// ---------------------------------------------------------------- tenders

export type GeneratedStatus = "draft" | "awaiting_approval" | "published" | "opened" | "cancelled";

export interface GeneratedItem {
  descriptionAr: string;
  descriptionEn: string;
  quantity: string;
  unit: string;
}
export interface GeneratedLot {
  number: number;
  titleAr: string;
  titleEn: string;
  items: GeneratedItem[];
}
export interface GeneratedTender {
  agency: GeneratedAgency;
  reference: string;
  titleAr: string;
  titleEn: string;
  descriptionAr: string;
  descriptionEn: string;
  method: "open" | "restricted" | "rfq";
  category: "goods" | "works" | "services";
  cpvCodes: string[];
  currency: string;
  /** Minor units, or null when the agency publishes no estimate. */
  estimatedValue: bigint | null;
  status: GeneratedStatus;
  publishedAt: Date | null;
  createdAt: Date;
  enquiryDeadline: Date | null;
  submissionDeadline: Date | null;
  openingAt: Date | null;
  lots: GeneratedLot[];
}

/** Approximate units of each currency per US dollar, to make estimates plausible. */
const PER_USD: Record<string, number> = {
  KWD: 0.307,
  BHD: 0.376,
  OMR: 0.385,
  JOD: 0.709,
  SAR: 3.75,
  AED: 3.6725,
  QAR: 3.64,
};
const EXPONENT: Record<string, number> = { KWD: 3, BHD: 3, OMR: 3, JOD: 3, SAR: 2, AED: 2, QAR: 2 };

/** A value drawn log-uniformly in the range, rounded to three significant figures, in minor units. */
function estimate(rng: Rng, [min, max]: [number, number], currency: string): bigint {
  const usd = Math.exp(Math.log(min) + rng() * (Math.log(max) - Math.log(min)));
  const major = usd * (PER_USD[currency] ?? 1);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(major)) - 2);
  const rounded = Math.max(1, Math.round(major / magnitude)) * magnitude;
  return BigInt(Math.round(rounded)) * 10n ** BigInt(EXPONENT[currency] ?? 2);
}

const DAY = 86_400_000;

export interface TenderGeneratorOptions {
  /** Instant the data set is generated at: deadlines after it are open tenders. */
  now: Date;
  /** How far back publication dates go (default six years). */
  historyDays?: number;
}

/**
 * One agency's next tender. `sequence` counts the agency's tenders (it makes
 * the reference unique); the caller keeps one counter per agency.
 */
export function generateTender(
  rng: Rng,
  agency: GeneratedAgency,
  sequence: number,
  options: TenderGeneratorOptions,
): GeneratedTender {
  const theme = THEMES[pick(rng, agency.themes)];
  const place = pick(rng, agency.places);
  const historyDays = options.historyDays ?? 6 * 365;
  const now = options.now.getTime();

  // Most tenders are history; a few percent are open at any time, a few are
  // drafts (never shown), some were cancelled.
  const publishedMs = now - Math.floor(rng() * historyDays * DAY) - between(rng, 0, DAY);
  const submissionMs = publishedMs + between(rng, 14, 60) * DAY;
  const roll = rng();
  let status: GeneratedStatus;
  if (roll < 0.03) status = "draft";
  else if (roll < 0.04) status = "awaiting_approval";
  else if (roll < 0.1) status = "cancelled";
  else if (submissionMs > now) status = "published";
  else status = submissionMs > now - 21 * DAY && rng() < 0.5 ? "published" : "opened";
  const year = new Date(publishedMs).getUTCFullYear();

  const fill = (text: string, lang: "ar" | "en") =>
    text
      .replaceAll("{place}", lang === "ar" ? place.ar : place.en)
      .replaceAll("{year}", String(year))
      .replaceAll("{months}", String(between(rng, 3, 36)));
  const arabicDigits = rng() < 0.4;
  const ar = (text: string) => {
    const filled = varySpelling(fill(text, "ar"), rng);
    return arabicDigits ? toArabicDigits(filled) : filled;
  };

  const title = pick(rng, theme.titles);
  const description = pick(rng, theme.descriptions);
  const closing = pick(rng, CLOSINGS);
  const lotCount = Math.min(theme.lots.length, rng() < 0.55 ? 1 : rng() < 0.75 ? 2 : 3);
  const firstLot = between(rng, 0, theme.lots.length - 1);
  const lots: GeneratedLot[] = [];
  for (let n = 0; n < lotCount; n++) {
    const template = theme.lots[(firstLot + n) % theme.lots.length]!;
    const itemCount = between(rng, 1, template.items.length);
    lots.push({
      number: n + 1,
      titleAr: ar(template.ar),
      titleEn: template.en,
      items: template.items.slice(0, itemCount).map((i) => ({
        descriptionAr: ar(i.ar),
        descriptionEn: i.en,
        quantity: String(between(rng, i.quantity[0], i.quantity[1])),
        unit: i.unit,
      })),
    });
  }
  const cpvCount = rng() < 0.6 ? 1 : 2;
  const cpvStart = between(rng, 0, theme.cpv.length - 1);
  const cpvCodes = [
    ...new Set(Array.from({ length: cpvCount }, (_, i) => theme.cpv[(cpvStart + i) % theme.cpv.length]!)),
  ];
  const isDraft = status === "draft" || status === "awaiting_approval";
  return {
    agency,
    reference: `${agency.code}-${year}-${String(sequence).padStart(5, "0")}`,
    titleAr: ar(title.ar),
    titleEn: fill(title.en, "en"),
    descriptionAr: `${ar(description.ar)} ${ar(closing.ar)}`,
    descriptionEn: `${fill(description.en, "en")} ${fill(closing.en, "en")}`,
    method: rng() < 0.8 ? "open" : rng() < 0.6 ? "restricted" : "rfq",
    category: theme.category,
    cpvCodes,
    currency: agency.currency,
    estimatedValue: rng() < 0.12 ? null : estimate(rng, theme.valueUsd, agency.currency),
    status,
    publishedAt: isDraft ? null : new Date(publishedMs),
    createdAt: new Date(publishedMs - between(rng, 1, 20) * DAY),
    enquiryDeadline: new Date(submissionMs - 7 * DAY),
    submissionDeadline: new Date(submissionMs),
    openingAt: new Date(submissionMs + 3600_000),
    lots,
  };
}
