import { COUNTRIES, REGIONS } from "#app/modules/discovery/regions.ts";
import { generateAgencies, seededRandom } from "#db/generate/tender-corpus.ts";

/**
 * The workload of `npm run bench:search`: typical searches (one or two words,
 * Arabic and English with the spelling variants the generator writes, and
 * two filters) and autocomplete prefixes, deterministic for a seed.
 */

/**
 * What people type, by subject: Arabic (with the spelling variants the
 * generator writes) and English. A search of two words takes both from one
 * subject, as a person's would ("صيانة الطرق", "medical masks").
 */
const SUBJECTS: string[][] = [
  [
    "صيانة",
    "صيانه",
    "الطرق",
    "طرق",
    "سفلتة",
    "جسر",
    "road",
    "roads",
    "asphalt",
    "maintenance",
    "bridge",
    "drainage",
  ],
  [
    "مدرسة",
    "مدرسه",
    "المدارس",
    "فصول",
    "أثاث",
    "school",
    "schools",
    "classrooms",
    "furniture",
    "laboratories",
  ],
  ["مستشفى", "مستشفي", "الطوارئ", "صحية", "hospital", "emergency", "health", "centre"],
  ["إنارة", "انارة", "الإنارة", "أعمدة", "كشافات", "lighting", "LED", "poles", "luminaires", "street"],
  [
    "حاسب",
    "أجهزة",
    "شبكات",
    "خوادم",
    "تراخيص",
    "laptop",
    "computers",
    "software",
    "network",
    "servers",
    "cybersecurity",
    "licences",
  ],
  ["نظافة", "تنظيف", "النفايات", "cleaning", "waste", "sweeping", "workers"],
  ["وجبات", "الوجبات", "الإعاشة", "أرز", "catering", "meals", "food", "rice", "milk"],
  [
    "أدوية",
    "ادوية",
    "مستلزمات",
    "طبية",
    "كمامات",
    "محاقن",
    "أسرة",
    "medical",
    "medicines",
    "masks",
    "syringes",
    "beds",
    "CT",
  ],
  ["مياه", "أنابيب", "خزان", "الصرف", "water", "pipes", "reservoir", "sewerage", "meters"],
  ["إسعاف", "اسعاف", "مركبات", "سيارات", "ambulance", "ambulances", "vehicles", "fleet"],
  ["حراسة", "أمن", "المراقبة", "security", "guards", "CCTV"],
  ["استشارية", "الإشراف", "تصميم", "consultancy", "supervision", "design", "feasibility"],
  ["٢٠٢٥", "2026", "2024"],
];
const WORDS = SUBJECTS.flat();

const PHRASES = ['"street lighting"', '"medical consumables"', '"إنارة الطرق"', "صيانة OR maintenance"];

export function makeSearches(count: number, seed: number): string[] {
  const rng = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
  const agencies = generateAgencies();
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const filters: Array<{ weight: number; kind: string; make: () => Record<string, string> }> = [
    { weight: 4, kind: "status", make: () => ({ status: "open" }) },
    { weight: 1.5, kind: "status", make: () => ({ status: "closed" }) },
    { weight: 0.3, kind: "status", make: () => ({ status: "cancelled" }) },
    { weight: 2, kind: "category", make: () => ({ category: pick(["works", "goods", "services"]) }) },
    { weight: 1.5, kind: "region", make: () => ({ region: pick(COUNTRIES).code }) },
    { weight: 0.7, kind: "region", make: () => ({ region: pick(REGIONS).code }) },
    { weight: 1, kind: "currency", make: () => ({ currency: pick(COUNTRIES).currency }) },
    {
      weight: 0.5,
      kind: "currency",
      make: () => {
        const c = pick(COUNTRIES);
        const min = pick([10_000, 50_000, 100_000, 500_000]);
        return { currency: c.currency, min: String(min), max: String(min * pick([10, 50, 100])) };
      },
    },
    {
      weight: 1,
      kind: "cpv",
      make: () => ({ cpv: pick(["45", "33", "30", "90", "55", "34", "71", "4523", "4521"]) }),
    },
    { weight: 1, kind: "agency", make: () => ({ agency: pick(agencies).slug }) },
    { weight: 0.5, kind: "method", make: () => ({ method: pick(["open", "restricted", "rfq"]) }) },
    { weight: 0.5, kind: "deadline", make: () => ({ from: day(0), to: day(pick([7, 30, 90])) }) },
  ];
  const total = filters.reduce((s, f) => s + f.weight, 0);
  const drawFilter = () => {
    let x = rng() * total;
    for (const f of filters) {
      x -= f.weight;
      if (x <= 0) return f;
    }
    return filters[0]!;
  };
  const seen = new Set<string>();
  const searches: string[] = [];
  for (let guard = 0; searches.length < count && guard < count * 50; guard++) {
    const params = new URLSearchParams();
    const subject = pick(SUBJECTS);
    const words =
      rng() < 0.08 ? pick(PHRASES) : rng() < 0.6 ? pick(subject) : `${pick(subject)} ${pick(subject)}`;
    params.set("q", words);
    const first = drawFilter();
    let second = drawFilter();
    while (second.kind === first.kind) second = drawFilter();
    for (const f of [first, second]) for (const [k, v] of Object.entries(f.make())) params.set(k, v);
    const sort = rng();
    if (sort < 0.15) params.set("sort", "closing");
    else if (sort < 0.25) params.set("sort", "newest");
    else if (sort < 0.3) params.set("sort", "value");
    if (rng() < 0.1) params.set("page", String(2 + Math.floor(rng() * 3)));
    const query = params.toString();
    if (seen.has(query)) continue;
    seen.add(query);
    searches.push(query);
  }
  return searches;
}

export function makePrefixes(count: number, seed: number): string[] {
  const rng = seededRandom(seed);
  const agencies = generateAgencies();
  const sources = [
    ...WORDS.filter((w) => w.length >= 4),
    "صيانة الطرق",
    "إنارة الطرق",
    "توريد أجهزة",
    "Supply of",
    "Maintenance of",
    "Construction of",
    ...agencies.slice(0, 30).flatMap((a) => [a.nameAr, a.nameEn]),
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[Math.floor(rng() * sources.length)]!;
    const length = Math.min(source.length, 3 + Math.floor(rng() * 6));
    out.push(source.slice(0, length));
  }
  return out;
}
