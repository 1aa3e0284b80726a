// Every word the page shows, in Chinese (the default) and English. Codes that come from
// the API (statuses, node kinds, road classes…) are translated here; names of parks and
// land uses come from the API in both languages.

const WORDS = {
  zh: {
    title: '园区用地一张图',
    'panel.layers': '图层',
    'panel.search': '选址',
    'panel.idle': '闲置土地',
    'lang.switch': 'English',
    'lang.label': '切换到英文',
    loading: '加载中…',
    'auth.prompt': '本系统需要访问令牌，请输入（由管理员用 parkland token create 生成）：',
    ready: '就绪',
    'error.network': '无法连接 parkland 服务：{0}',
    'error.api': '服务返回错误 {0}：{1}',
    'layer.parks': '园区边界',
    'layer.plots': '地块（按状态）',
    'layer.idle': '闲置/低效认定',
    'layer.nodes': '交通节点',
    'layer.roads': '道路',
    'layer.constraints': '管控范围',
    'layer.basemap': '底图',
    'legend.title': '地块状态（视野内）',
    'legend.zoom': '放大到 10 级以上显示地块',
    'legend.nodes': '交通节点',
    'legend.roads': '道路',
    'legend.constraints': '管控范围',
    'plot.title': '地块 {0}',
    'plot.park': '所属园区',
    'plot.land_use': '用地分类',
    'plot.status': '状态',
    'plot.area': '面积',
    'plot.user': '土地使用权人',
    'plot.dates': '供地 / 约定动工 / 实际动工',
    'plot.per_mu': '亩均投资 / 亩均税收',
    'plot.finding': '闲置低效认定',
    'plot.measure': '处置措施',
    'plot.no_finding': '无',
    'plot.history': '历史',
    'plot.history_none': '无修改记录',
    'plot.outline': '边界',
    'park.title': '{0}',
    'park.planned': '规划面积',
    'park.plotted': '已划地块',
    'park.utilisation': '土地利用率',
    'park.largest': '最大连片可供',
    'park.by_status': '各状态面积（亩）',
    'park.idle': '闲置 / 低效 / 批而未供',
    'unit.mu': '亩',
    'unit.m2': '平方米',
    'unit.wan_per_mu': '万元/亩',
    'unit.min': '分钟',
    'unit.km': '公里',
    'search.demand': '用地需求（亩）',
    'search.land_use': '用地分类代码',
    'search.land_use_hint': '如 1001 工业用地，留空为不限',
    'search.industry': '产业',
    'search.industry_hint': '如 新能源、预制菜',
    'search.parks': '园区（不选为全部）',
    'search.include': '可纳入的地块状态',
    'search.access': '交通条件（最长车程：分钟 / 公里）',
    'search.infrastructure': '必须具备的基础设施',
    'search.constraints': '须避让的管控范围',
    'search.run': '查找用地',
    'search.running': '正在计算…',
    'search.results': '找到 {0} 处用地',
    'search.empty': '没有符合条件的用地。',
    'search.removed': '{0}：去除 {1} 亩，余 {2} 亩',
    'search.score': '得分',
    'search.parts': '得分构成',
    'search.nearest': '最近节点',
    'search.missing': '缺少的基础设施',
    'search.none': '无',
    'search.export_geojson': '导出 GeoJSON',
    'search.export_csv': '导出 CSV',
    'search.isochrone': '{0} 分钟等时圈',
    'search.include_planned': '计入未开通的规划、在建交通节点',
    'node.not_open': '（未开通）',
    'node.opens_on': '（未开通，预计 {0} 开通）',
    'search.site': '第 {0} 名',
    'idle.as_of': '认定日期',
    'idle.run': '检查闲置土地',
    'idle.results': '{0} 宗疑似闲置/低效土地，按逾期天数排序',
    'idle.none': '该日期没有闲置或低效土地。',
    'idle.overdue': '逾期 {0} 天',
    'idle.fee': '闲置费 {0} 万元',
    'map.region': '园区用地地图',
  },
  en: {
    title: 'Park land map',
    'panel.layers': 'Layers',
    'panel.search': 'Site search',
    'panel.idle': 'Idle land',
    'lang.switch': '中文',
    'lang.label': 'Switch to Chinese',
    loading: 'Loading…',
    'auth.prompt': 'This parkland needs an access token (an administrator makes one with parkland token create):',
    ready: 'Ready',
    'error.network': 'Cannot reach the parkland service: {0}',
    'error.api': 'The service answered {0}: {1}',
    'layer.parks': 'Park boundaries',
    'layer.plots': 'Plots (by status)',
    'layer.idle': 'Idle / inefficient findings',
    'layer.nodes': 'Transport nodes',
    'layer.roads': 'Roads',
    'layer.constraints': 'Constraint areas',
    'layer.basemap': 'Basemap',
    'legend.title': 'Plot status (in view)',
    'legend.zoom': 'Zoom in past level 10 to see plots',
    'legend.nodes': 'Transport nodes',
    'legend.roads': 'Roads',
    'legend.constraints': 'Constraint areas',
    'plot.title': 'Plot {0}',
    'plot.park': 'Park',
    'plot.land_use': 'Land use',
    'plot.status': 'Status',
    'plot.area': 'Area',
    'plot.user': 'Land user',
    'plot.dates': 'Supplied / agreed start / actual start',
    'plot.per_mu': 'Investment / tax per mu',
    'plot.finding': 'Idle or inefficient finding',
    'plot.measure': 'Measure',
    'plot.no_finding': 'None',
    'plot.history': 'History',
    'plot.history_none': 'No changes recorded',
    'plot.outline': 'outline',
    'park.title': '{0}',
    'park.planned': 'Planned area',
    'park.plotted': 'Plotted',
    'park.utilisation': 'Utilisation',
    'park.largest': 'Largest available block',
    'park.by_status': 'Area by status (mu)',
    'park.idle': 'Idle / inefficient / approved, not supplied',
    'unit.mu': 'mu',
    'unit.m2': 'm²',
    'unit.wan_per_mu': '10k CNY/mu',
    'unit.min': 'min',
    'unit.km': 'km',
    'search.demand': 'Land needed (mu)',
    'search.land_use': 'Land-use code',
    'search.land_use_hint': 'e.g. 1001 industrial; empty for any',
    'search.industry': 'Industry',
    'search.industry_hint': 'e.g. new energy, prepared food',
    'search.parks': 'Parks (none chosen: all)',
    'search.include': 'Plot statuses to include',
    'search.access': 'Access (longest drive: minutes / road km)',
    'search.infrastructure': 'Required infrastructure',
    'search.constraints': 'Constraints to avoid',
    'search.run': 'Find land',
    'search.running': 'Searching…',
    'search.results': '{0} sites found',
    'search.empty': 'No land meets the request.',
    'search.removed': '{0}: removed {1} mu, {2} mu left',
    'search.score': 'Score',
    'search.parts': 'Score parts',
    'search.nearest': 'Nearest nodes',
    'search.missing': 'Missing infrastructure',
    'search.none': 'none',
    'search.export_geojson': 'Export GeoJSON',
    'search.export_csv': 'Export CSV',
    'search.isochrone': '{0}-minute isochrone',
    'search.include_planned': 'Count planned transport not open yet',
    'node.not_open': '(not open yet)',
    'node.opens_on': '(not open yet, expected {0})',
    'search.site': 'No. {0}',
    'idle.as_of': 'As of',
    'idle.run': 'Check idle land',
    'idle.results': '{0} plots idle or inefficient, most overdue first',
    'idle.none': 'No idle or inefficient land on that date.',
    'idle.overdue': '{0} days overdue',
    'idle.fee': 'idle fee {0} (10k CNY)',
    'map.region': 'Map of park land',
  },
};

// Words of the site search's own diagnostics. The records' codes and their names come
// from parkland (/vocabularies, set once by the page before anything is drawn).
const CODES = {
  condition: {
    parks: ['园区', 'Parks'],
    include: ['地块状态', 'Statuses'],
    land_use: ['用地分类', 'Land use'],
    infrastructure: ['基础设施', 'Infrastructure'],
    exclude_constraints: ['管控范围', 'Constraints'],
    contiguous_area: ['连片面积', 'Contiguous area'],
    access: ['交通条件', 'Access'],
  },
};

let vocabularies = {};

/** The lists of /vocabularies: { status: [{ code, name_zh, name_en, style? }], node: …, … }. */
export function setVocabularies(v) {
  vocabularies = v;
}

function term(kind, code) {
  return vocabularies[kind]?.find((x) => x.code === code);
}

let lang = 'zh';

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

export function getLang() {
  return lang;
}

/** The text for `key`, with {0}, {1}… filled from `args`. */
export function t(key, ...args) {
  const s = WORDS[lang][key] ?? WORDS.zh[key] ?? key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** The name of an API code of `kind` (status, node, road, …); the code itself if unknown. */
export function name(kind, code) {
  const known = term(kind, code);
  if (known) return lang === 'en' ? known.name_en : known.name_zh;
  const pair = CODES[kind]?.[code];
  return pair ? pair[lang === 'en' ? 1 : 0] : code;
}

/** The codes of `kind`, in the order parkland lists them. */
export function codes(kind) {
  return vocabularies[kind] ? vocabularies[kind].map((x) => x.code) : Object.keys(CODES[kind] ?? {});
}

/** How the map draws a code: { colour, mark?, width?, hatch? }, or undefined. */
export function styleOf(kind, code) {
  return term(kind, code)?.style;
}

/** A property in the current language: `x_zh` or `x_en`, falling back to Chinese. */
export function localized(props, base) {
  return (lang === 'en' && props[`${base}_en`]) || props[`${base}_zh`] || props[base] || '';
}

/** Fills every element with data-i18n (text) or data-i18n-placeholder / -label. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  document.title = `parkland · ${t('title')}`;
}

export function number(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return Number(x).toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
