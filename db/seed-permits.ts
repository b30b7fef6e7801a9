import { eq } from "drizzle-orm";
import type { Actor, Membership } from "#app/modules/accounts/actor.ts";
import {
  createPermitType,
  findPermitType,
  setPermitTypeFee,
} from "#app/modules/permits/permit-catalogue.server.ts";
import type { PermitTypeCreate } from "#app/modules/permits/permit-type-form.ts";
import { actorOf } from "#tests/factories/actors.ts";
import type { Db } from "./client.server.ts";
import { memberships, organisations, users } from "./schema/index.ts";

/**
 * The demo permit catalogue of the two demo agencies, written through the
 * catalogue module (so every type passes the same checks as one typed in the
 * admin pages, and is audited), with each type's fee on its agency's schedule.
 *
 * The Capital Municipality (SAR) licenses shops, buildings, food outlets and
 * signs; the Ministry of Public Works (KWD) classifies contractors, licenses
 * engineering offices and permits road excavation. Some require another
 * licence first, across agencies too: a contractor is classified only once it
 * holds the municipality's commercial licence.
 */

/** The demo types' codes, for seeds and tests that apply for them or require them in a tender. */
export const DEMO_PERMIT_CODES = {
  commercialLicence: "commercial-licence",
  buildingPermit: "building-permit",
  foodEstablishment: "food-establishment",
  signagePermit: "signage-permit",
  contractorClassification: "contractor-classification",
  engineeringOffice: "engineering-office-licence",
  roadExcavation: "road-excavation-permit",
} as const;

const C = DEMO_PERMIT_CODES;

/** A plot number as the municipality writes it: block and plot, "123-4567". */
const PLOT_PATTERN = "^[0-9]{3}-[0-9]{4}$";
const plotNumber = {
  key: "plot_number",
  type: "text",
  labelAr: "رقم القطعة (المخطط-القطعة)",
  labelEn: "Plot number (block-plot)",
  required: true,
  pattern: PLOT_PATTERN,
} as const;
const tradeName = {
  key: "trade_name",
  type: "text",
  labelAr: "الاسم التجاري",
  labelEn: "Trade name",
  required: true,
  min: 2,
  max: 120,
} as const;
const pdf = ["application/pdf"];
const pdfOrImage = ["application/pdf", "image/jpeg"];
const images = ["image/jpeg", "image/png"];

const CAPITAL: Array<{ type: PermitTypeCreate; fee: string }> = [
  {
    fee: "750.00",
    type: {
      code: C.commercialLicence,
      nameAr: "الرخصة التجارية",
      nameEn: "Commercial licence",
      descriptionAr:
        "ترخيص مزاولة نشاط تجاري من محل أو مكتب داخل نطاق الأمانة. يلزم قبل افتتاح النشاط ويُجدَّد سنويًا.\n\nيُشترط أن يكون السجل التجاري ساريًا وأن يكون النشاط مسموحًا به في استعمال الأرض المسجّل للقطعة.",
      descriptionEn:
        "Permission to run a commercial activity from a shop or office within the municipality. Needed before the activity opens; renewed every year.\n\nThe commercial registration must be current and the activity allowed by the land use registered for the plot.",
      serviceLevelDays: 3,
      validityMonths: 12,
      renewalWindowDays: 60,
      gracePeriodDays: 30,
      fields: [
        tradeName,
        {
          key: "activity",
          type: "select",
          labelAr: "النشاط",
          labelEn: "Activity",
          required: true,
          options: [
            { value: "retail", labelAr: "تجارة التجزئة", labelEn: "Retail" },
            { value: "wholesale", labelAr: "تجارة الجملة", labelEn: "Wholesale" },
            { value: "services", labelAr: "خدمات", labelEn: "Services" },
            {
              value: "e-commerce",
              labelAr: "تجارة إلكترونية مع مستودع",
              labelEn: "E-commerce with a warehouse",
            },
          ],
        },
        plotNumber,
        {
          key: "floor_area",
          type: "number",
          labelAr: "المساحة (م²)",
          labelEn: "Floor area (m²)",
          required: true,
          min: 10,
          max: 100000,
        },
        {
          key: "opening_date",
          type: "date",
          labelAr: "تاريخ الافتتاح",
          labelEn: "Opening date",
          required: false,
        },
      ],
      documents: [
        {
          key: "cr_certificate",
          labelAr: "شهادة السجل التجاري",
          labelEn: "Commercial registration certificate",
          mediaTypes: pdf,
        },
        {
          key: "lease_contract",
          labelAr: "عقد الإيجار أو صك الملكية",
          labelEn: "Lease contract or title deed",
          mediaTypes: pdfOrImage,
        },
        {
          key: "shop_photo",
          labelAr: "صورة واجهة المحل",
          labelEn: "Photo of the shop front",
          mediaTypes: images,
        },
      ],
      checklist: [
        {
          key: "cr_valid",
          labelAr: "السجل التجاري ساري ويطابق الاسم التجاري",
          labelEn: "The commercial registration is current and matches the trade name",
        },
        {
          key: "lease_matches",
          labelAr: "عقد الإيجار يشمل القطعة والمساحة المعلنة",
          labelEn: "The lease covers the plot and the declared floor area",
        },
        {
          key: "zoning",
          labelAr: "النشاط مسموح به في استعمال أرض القطعة",
          labelEn: "The activity is allowed by the plot's land use",
        },
      ],
    },
  },
  {
    fee: "1500.00",
    type: {
      code: C.buildingPermit,
      nameAr: "رخصة البناء",
      nameEn: "Building permit",
      descriptionAr:
        "رخصة إنشاء مبنى جديد أو إضافة أدوار إلى مبنى قائم. تُراجع المخططات ويُعايَن الموقع، ويعتمد القرار موظفا ترخيص اثنان.\n\nيُرفق المخطط المعماري والإنشائي موقّعين من مكتب هندسي مرخّص.",
      descriptionEn:
        "Permission to put up a new building or add floors to an existing one. The drawings are reviewed, the site is inspected and two licensing officers approve the decision.\n\nThe architectural and structural drawings must be signed by a licensed engineering office.",
      serviceLevelDays: 15,
      inspectionRequired: true,
      secondApprovalRequired: true,
      validityMonths: 24,
      renewalWindowDays: 60,
      gracePeriodDays: 30,
      fields: [
        plotNumber,
        {
          key: "building_use",
          type: "select",
          labelAr: "استعمال المبنى",
          labelEn: "Building use",
          required: true,
          options: [
            { value: "residential", labelAr: "سكني", labelEn: "Residential" },
            { value: "commercial", labelAr: "تجاري", labelEn: "Commercial" },
            { value: "mixed", labelAr: "سكني تجاري", labelEn: "Mixed residential and commercial" },
            { value: "industrial", labelAr: "صناعي", labelEn: "Industrial" },
          ],
        },
        {
          key: "floors",
          type: "number",
          labelAr: "عدد الأدوار",
          labelEn: "Number of floors",
          required: true,
          min: 1,
          max: 60,
        },
        {
          key: "built_area",
          type: "number",
          labelAr: "مسطح البناء (م²)",
          labelEn: "Built-up area (m²)",
          required: true,
          min: 20,
          max: 500000,
        },
        {
          key: "engineering_office",
          type: "text",
          labelAr: "رقم ترخيص المكتب الهندسي المشرف",
          labelEn: "Supervising engineering office licence number",
          required: true,
          max: 40,
        },
        {
          key: "start_date",
          type: "date",
          labelAr: "تاريخ بدء الأعمال المتوقع",
          labelEn: "Expected start of works",
          required: false,
        },
      ],
      documents: [
        { key: "title_deed", labelAr: "صك ملكية الأرض", labelEn: "Title deed of the plot", mediaTypes: pdf },
        {
          key: "architectural_drawings",
          labelAr: "المخططات المعمارية",
          labelEn: "Architectural drawings",
          mediaTypes: pdf,
        },
        {
          key: "structural_drawings",
          labelAr: "المخططات الإنشائية",
          labelEn: "Structural drawings",
          mediaTypes: pdf,
        },
        { key: "site_photos", labelAr: "صور الموقع", labelEn: "Site photographs", mediaTypes: images },
      ],
      checklist: [
        {
          key: "deed_matches",
          labelAr: "الصك يطابق رقم القطعة ومساحتها",
          labelEn: "The deed matches the plot number and area",
        },
        {
          key: "setbacks",
          labelAr: "الارتدادات مطابقة لاشتراطات المخطط",
          labelEn: "Setbacks meet the plan's requirements",
        },
        {
          key: "height",
          labelAr: "عدد الأدوار ضمن الحد المسموح",
          labelEn: "The number of floors is within the limit",
        },
        {
          key: "structural_signed",
          labelAr: "المخططات الإنشائية موقّعة من مكتب مرخّص",
          labelEn: "Structural drawings signed by a licensed office",
        },
        {
          key: "parking",
          labelAr: "المواقف كافية لاستعمال المبنى",
          labelEn: "Parking is sufficient for the building's use",
        },
      ],
    },
  },
  {
    fee: "500.00",
    type: {
      code: C.foodEstablishment,
      nameAr: "رخصة منشأة غذائية",
      nameEn: "Food establishment licence",
      descriptionAr:
        "ترخيص المطاعم والمقاهي والمخابز ومحلات تقديم الطعام. يلزم أن تحمل المنشأة رخصة تجارية سارية، وتُعايَن قبل القرار للتحقق من النظافة وسلسلة التبريد والشهادات الصحية للعاملين.",
      descriptionEn:
        "For restaurants, cafés, bakeries and caterers. The business must already hold a valid commercial licence; the premises are inspected before the decision for hygiene, the cold chain and the staff's health certificates.",
      parentCode: C.commercialLicence,
      eligibleSectors: ["food"],
      serviceLevelDays: 7,
      inspectionRequired: true,
      validityMonths: 12,
      renewalWindowDays: 45,
      gracePeriodDays: 15,
      fields: [
        tradeName,
        {
          key: "establishment_type",
          type: "select",
          labelAr: "نوع المنشأة",
          labelEn: "Type of establishment",
          required: true,
          options: [
            { value: "restaurant", labelAr: "مطعم", labelEn: "Restaurant" },
            { value: "cafe", labelAr: "مقهى", labelEn: "Café" },
            { value: "bakery", labelAr: "مخبز", labelEn: "Bakery" },
            { value: "catering", labelAr: "إعداد وتقديم الوجبات", labelEn: "Catering" },
          ],
        },
        plotNumber,
        {
          key: "seating",
          type: "number",
          labelAr: "عدد المقاعد",
          labelEn: "Seating capacity",
          required: false,
          min: 0,
          max: 2000,
        },
        {
          key: "staff_count",
          type: "number",
          labelAr: "عدد العاملين",
          labelEn: "Number of staff",
          required: true,
          min: 1,
          max: 1000,
        },
      ],
      documents: [
        {
          key: "health_certificates",
          labelAr: "الشهادات الصحية للعاملين",
          labelEn: "Staff health certificates",
          mediaTypes: pdf,
        },
        {
          key: "pest_control",
          labelAr: "عقد مكافحة الحشرات",
          labelEn: "Pest control contract",
          mediaTypes: pdf,
        },
        { key: "kitchen_layout", labelAr: "مخطط المطبخ", labelEn: "Kitchen layout", mediaTypes: pdfOrImage },
      ],
      checklist: [
        {
          key: "hygiene",
          labelAr: "نظافة أماكن التحضير والتخزين",
          labelEn: "Preparation and storage areas are clean",
        },
        {
          key: "cold_chain",
          labelAr: "درجات حرارة التبريد والتجميد سليمة",
          labelEn: "Fridge and freezer temperatures are right",
        },
        {
          key: "staff_health",
          labelAr: "الشهادات الصحية سارية لجميع العاملين",
          labelEn: "Every staff member's health certificate is current",
        },
        {
          key: "pest_control",
          labelAr: "عقد مكافحة الحشرات ساري",
          labelEn: "The pest control contract is current",
        },
      ],
    },
  },
  {
    fee: "300.00",
    type: {
      code: C.signagePermit,
      nameAr: "تصريح لوحة المحل",
      nameEn: "Shop sign permit",
      descriptionAr:
        "تصريح تركيب لوحة على واجهة محل مرخّص. يجب أن يكون النص العربي ظاهرًا وبحجم لا يقل عن أي لغة أخرى، وألا تعيق اللوحة الرؤية أو الممرات.",
      descriptionEn:
        "Permission to put up a sign on the front of a licensed shop. The Arabic text must be shown at least as large as any other language, and the sign must not block views or walkways.",
      parentCode: C.commercialLicence,
      requireVerified: false,
      serviceLevelDays: 5,
      validityMonths: 12,
      renewalWindowDays: 30,
      gracePeriodDays: 15,
      fields: [
        {
          key: "sign_text_ar",
          type: "text",
          labelAr: "نص اللوحة بالعربية",
          labelEn: "Sign text in Arabic",
          required: true,
          max: 60,
        },
        {
          key: "sign_text_en",
          type: "text",
          labelAr: "نص اللوحة بالإنجليزية",
          labelEn: "Sign text in English",
          required: false,
          max: 60,
        },
        {
          key: "sign_type",
          type: "select",
          labelAr: "نوع اللوحة",
          labelEn: "Type of sign",
          required: true,
          options: [
            { value: "flat", labelAr: "مسطحة على الواجهة", labelEn: "Flat on the façade" },
            { value: "illuminated", labelAr: "مضيئة", labelEn: "Illuminated" },
            { value: "projecting", labelAr: "بارزة", labelEn: "Projecting" },
          ],
        },
        {
          key: "width_m",
          type: "number",
          labelAr: "العرض (م)",
          labelEn: "Width (m)",
          required: true,
          min: 0.5,
          max: 20,
        },
        {
          key: "height_m",
          type: "number",
          labelAr: "الارتفاع (م)",
          labelEn: "Height (m)",
          required: true,
          min: 0.3,
          max: 5,
        },
      ],
      documents: [
        {
          key: "sign_design",
          labelAr: "تصميم اللوحة بالأبعاد",
          labelEn: "Sign design with dimensions",
          mediaTypes: ["application/pdf", "image/png", "image/jpeg"],
        },
        { key: "facade_photo", labelAr: "صورة الواجهة", labelEn: "Photo of the façade", mediaTypes: images },
      ],
      checklist: [
        {
          key: "arabic_first",
          labelAr: "النص العربي ظاهر وبحجم لا يقل عن غيره",
          labelEn: "The Arabic text is shown at least as large as any other",
        },
        {
          key: "size",
          labelAr: "الأبعاد ضمن الحد المسموح للواجهة",
          labelEn: "The size is within the limit for the façade",
        },
        {
          key: "no_obstruction",
          labelAr: "اللوحة لا تعيق الرؤية أو الممرات",
          labelEn: "The sign blocks no view or walkway",
        },
      ],
    },
  },
];

const WORKS: Array<{ type: PermitTypeCreate; fee: string }> = [
  {
    fee: "150.000",
    type: {
      code: C.contractorClassification,
      nameAr: "تصنيف المقاولين",
      nameEn: "Contractor classification",
      descriptionAr:
        "تصنيف شركات المقاولات حسب المجال والدرجة، وهو شرط للتقدم لمناقصات الأشغال العامة بالقيمة المقابلة للدرجة. يلزم أن تحمل الشركة رخصة تجارية سارية.\n\nتُدقَّق القوائم المالية والخبرات والكوادر، ويعتمد القرار موظفا ترخيص اثنان.",
      descriptionEn:
        "Grades construction companies by field and class; a public-works tender may require the class that matches its value. The company must already hold a valid commercial licence.\n\nFinancial statements, experience and staff are checked, and two licensing officers approve the decision.",
      parentCode: C.commercialLicence,
      eligibleSectors: ["construction"],
      serviceLevelDays: 20,
      secondApprovalRequired: true,
      validityMonths: 36,
      renewalWindowDays: 90,
      gracePeriodDays: 30,
      fields: [
        {
          key: "field",
          type: "select",
          labelAr: "مجال التصنيف",
          labelEn: "Field",
          required: true,
          options: [
            { value: "buildings", labelAr: "المباني", labelEn: "Buildings" },
            { value: "roads", labelAr: "الطرق والجسور", labelEn: "Roads and bridges" },
            { value: "water", labelAr: "المياه والصرف الصحي", labelEn: "Water and sewerage" },
            { value: "electrical", labelAr: "الأعمال الكهربائية", labelEn: "Electrical works" },
            { value: "mechanical", labelAr: "الأعمال الميكانيكية", labelEn: "Mechanical works" },
          ],
        },
        {
          key: "grade",
          type: "select",
          labelAr: "الدرجة المطلوبة",
          labelEn: "Class applied for",
          required: true,
          options: [
            { value: "first", labelAr: "الأولى", labelEn: "First" },
            { value: "second", labelAr: "الثانية", labelEn: "Second" },
            { value: "third", labelAr: "الثالثة", labelEn: "Third" },
            { value: "fourth", labelAr: "الرابعة", labelEn: "Fourth" },
          ],
        },
        {
          key: "engineers",
          type: "number",
          labelAr: "عدد المهندسين",
          labelEn: "Number of engineers",
          required: true,
          min: 0,
          max: 500,
        },
        {
          key: "annual_turnover",
          type: "number",
          labelAr: "متوسط الإيراد السنوي (د.ك)",
          labelEn: "Average annual turnover (KWD)",
          required: true,
          min: 0,
        },
        {
          key: "largest_project",
          type: "number",
          labelAr: "قيمة أكبر مشروع منفذ (د.ك)",
          labelEn: "Value of the largest completed project (KWD)",
          required: false,
          min: 0,
        },
      ],
      documents: [
        {
          key: "financial_statements",
          labelAr: "القوائم المالية المدققة لآخر سنتين",
          labelEn: "Audited financial statements, last two years",
          mediaTypes: pdf,
        },
        {
          key: "staff_list",
          labelAr: "قائمة الكوادر الفنية",
          labelEn: "List of technical staff",
          mediaTypes: pdf,
        },
        {
          key: "experience",
          labelAr: "شهادات إنجاز المشاريع",
          labelEn: "Project completion certificates",
          mediaTypes: pdf,
        },
        {
          key: "equipment",
          labelAr: "قائمة المعدات المملوكة",
          labelEn: "List of owned equipment",
          mediaTypes: pdf,
        },
      ],
      checklist: [
        {
          key: "turnover",
          labelAr: "الإيراد يطابق متطلبات الدرجة",
          labelEn: "Turnover meets the class's threshold",
        },
        {
          key: "engineers",
          labelAr: "المهندسون مسجلون في الجمعية المهنية",
          labelEn: "The engineers are registered with the professional society",
        },
        {
          key: "experience",
          labelAr: "الخبرات موثقة من جهات مالكة",
          labelEn: "Experience is certified by the project owners",
        },
        {
          key: "equipment",
          labelAr: "المعدات مملوكة أو مستأجرة بعقود سارية",
          labelEn: "Equipment is owned or under a current lease",
        },
      ],
    },
  },
  {
    fee: "100.000",
    type: {
      code: C.engineeringOffice,
      nameAr: "ترخيص مكتب هندسي",
      nameEn: "Engineering consultancy office licence",
      descriptionAr:
        "ترخيص مكاتب الاستشارات الهندسية لإعداد المخططات والإشراف على التنفيذ. يُشترط أن يكون المهندس المسؤول عضوًا عاملًا في جمعية المهندسين.",
      descriptionEn:
        "Licenses engineering consultancy offices to prepare drawings and supervise works. The principal engineer must be a practising member of the society of engineers.",
      eligibleSectors: ["consulting", "construction"],
      serviceLevelDays: 10,
      validityMonths: 24,
      renewalWindowDays: 60,
      gracePeriodDays: 30,
      fields: [
        {
          key: "office_name",
          type: "text",
          labelAr: "اسم المكتب",
          labelEn: "Office name",
          required: true,
          max: 120,
        },
        {
          key: "principal_engineer",
          type: "text",
          labelAr: "المهندس المسؤول",
          labelEn: "Principal engineer",
          required: true,
          max: 120,
        },
        {
          key: "membership_number",
          type: "text",
          labelAr: "رقم العضوية في جمعية المهندسين",
          labelEn: "Society of engineers membership number",
          required: true,
          pattern: "^[A-Z]{2}-[0-9]{5}$",
        },
        {
          key: "discipline",
          type: "select",
          labelAr: "التخصص الرئيسي",
          labelEn: "Main discipline",
          required: true,
          options: [
            { value: "architecture", labelAr: "عمارة", labelEn: "Architecture" },
            { value: "civil", labelAr: "مدني وإنشائي", labelEn: "Civil and structural" },
            { value: "electrical", labelAr: "كهرباء", labelEn: "Electrical" },
            { value: "mechanical", labelAr: "ميكانيكا", labelEn: "Mechanical" },
            { value: "multidisciplinary", labelAr: "متعدد التخصصات", labelEn: "Multidisciplinary" },
          ],
        },
        {
          key: "engineers",
          type: "number",
          labelAr: "عدد المهندسين",
          labelEn: "Number of engineers",
          required: true,
          min: 1,
          max: 300,
        },
      ],
      documents: [
        {
          key: "membership",
          labelAr: "شهادة عضوية جمعية المهندسين",
          labelEn: "Society of engineers membership certificate",
          mediaTypes: pdf,
        },
        {
          key: "degrees",
          labelAr: "الشهادات الجامعية للمهندسين",
          labelEn: "The engineers' degree certificates",
          mediaTypes: pdf,
        },
        { key: "office_lease", labelAr: "عقد إيجار المكتب", labelEn: "Office lease", mediaTypes: pdfOrImage },
      ],
      checklist: [
        {
          key: "principal",
          labelAr: "المهندس المسؤول مرخّص ومتفرغ",
          labelEn: "The principal engineer is licensed and full-time",
        },
        { key: "membership", labelAr: "العضوية سارية", labelEn: "The membership is current" },
        {
          key: "office",
          labelAr: "المكتب مناسب لعدد العاملين",
          labelEn: "The office suits the number of staff",
        },
      ],
    },
  },
  {
    fee: "75.000",
    type: {
      code: C.roadExcavation,
      nameAr: "تصريح الحفر في الطرق",
      nameEn: "Road excavation permit",
      descriptionAr:
        "تصريح لأعمال الحفر في الطرق العامة لتمديد أو صيانة شبكات المرافق. يلزم أن يحمل المقاول تصنيفًا ساريًا، ويُعايَن الموقع قبل القرار، ويعتمده موظفا ترخيص اثنان.",
      descriptionEn:
        "Permission to dig in a public road to lay or repair utility networks. The contractor must hold a valid classification; the site is inspected before the decision, which two licensing officers approve.",
      parentCode: C.contractorClassification,
      eligibleSectors: ["construction"],
      serviceLevelDays: 5,
      inspectionRequired: true,
      secondApprovalRequired: true,
      validityMonths: 3,
      renewalWindowDays: 15,
      gracePeriodDays: 7,
      fields: [
        {
          key: "road_name",
          type: "text",
          labelAr: "اسم الطريق",
          labelEn: "Road name",
          required: true,
          max: 120,
        },
        {
          key: "utility",
          type: "select",
          labelAr: "المرفق",
          labelEn: "Utility",
          required: true,
          options: [
            { value: "water", labelAr: "مياه", labelEn: "Water" },
            { value: "electricity", labelAr: "كهرباء", labelEn: "Electricity" },
            { value: "telecom", labelAr: "اتصالات", labelEn: "Telecommunications" },
            { value: "sewer", labelAr: "صرف صحي", labelEn: "Sewerage" },
          ],
        },
        {
          key: "length_m",
          type: "number",
          labelAr: "طول الحفر (م)",
          labelEn: "Length of the trench (m)",
          required: true,
          min: 1,
          max: 5000,
        },
        {
          key: "depth_m",
          type: "number",
          labelAr: "العمق (م)",
          labelEn: "Depth (m)",
          required: true,
          min: 0.3,
          max: 10,
        },
        { key: "start_date", type: "date", labelAr: "تاريخ البدء", labelEn: "Start date", required: true },
        {
          key: "duration_days",
          type: "number",
          labelAr: "المدة (أيام)",
          labelEn: "Duration (days)",
          required: true,
          min: 1,
          max: 90,
        },
      ],
      documents: [
        {
          key: "method_statement",
          labelAr: "بيان طريقة التنفيذ",
          labelEn: "Method statement",
          mediaTypes: pdf,
        },
        {
          key: "traffic_plan",
          labelAr: "خطة إدارة المرور",
          labelEn: "Traffic management plan",
          mediaTypes: pdf,
        },
        {
          key: "utility_noc",
          labelAr: "عدم ممانعة الجهة المالكة للمرفق",
          labelEn: "No-objection from the utility owner",
          mediaTypes: pdf,
        },
      ],
      checklist: [
        { key: "traffic_plan", labelAr: "خطة المرور معتمدة", labelEn: "The traffic plan is approved" },
        {
          key: "utilities_located",
          labelAr: "الخدمات القائمة محددة على المخطط",
          labelEn: "Existing services are marked on the drawing",
        },
        {
          key: "reinstatement",
          labelAr: "ضمان إعادة الشيء لأصله مقدَّم",
          labelEn: "The reinstatement guarantee is lodged",
        },
        {
          key: "barriers",
          labelAr: "حواجز السلامة والإنارة متوفرة",
          labelEn: "Safety barriers and lighting are in place",
        },
      ],
    },
  },
];

/** The agency administrator of a demo agency, acting for it. */
async function adminOf(db: Db, email: string): Promise<Actor> {
  const user = await db.query.users.findFirst({ where: eq(users.email, email) });
  if (!user) throw new Error(`demo account ${email} is missing`);
  const membership = (await db.query.memberships.findFirst({ where: eq(memberships.userId, user.id) }))!;
  const org = (await db.query.organisations.findFirst({
    where: eq(organisations.id, membership.organisationId),
  }))!;
  return actorOf(user, { organisationId: org.id, kind: org.kind, roles: membership.roles } as Membership);
}

/**
 * Add the demo catalogue (types whose code is already there are left as they
 * are) and give each type without a fee its fee. Returns how many types it added.
 */
export async function seedDemoPermitTypes(db: Db): Promise<number> {
  let added = 0;
  const catalogues: Array<[string, Array<{ type: PermitTypeCreate; fee: string }>]> = [
    // The municipality first: the ministry's types require its commercial licence.
    ["agencyadmin@capital.gov.test", CAPITAL],
    ["agencyadmin@works.gov.test", WORKS],
  ];
  for (const [email, entries] of catalogues) {
    const admin = await adminOf(db, email);
    for (const { type, fee } of entries) {
      let entry = await findPermitType({ code: type.code }, db);
      if (!entry) {
        await createPermitType({ actor: admin, type }, db);
        added += 1;
        entry = await findPermitType({ code: type.code }, db);
      }
      if (entry && !entry.fee)
        await setPermitTypeFee({ actor: admin, typeId: entry.type.id, amount: fee }, db);
    }
  }
  return added;
}
