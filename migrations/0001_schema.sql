-- parkland's schema: parks, plots, idle land, transport, roads, constraints, projects.
-- The database refuses bad rows itself, so that no client (the API, an import, psql)
-- can store a plot that breaks the land rules. Geometry is EPSG:4326 (lon, lat);
-- areas and lengths are geodesic (geography), never typed in.

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgrouting;

-- Bumps the row version on every update: the version is the ETag editors send back in
-- If-Match, so two editors cannot overwrite each other unseen.
CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END $$;

-- 用地用海分类 (2023 national guide). Codes are text: 2 digits a class, 4 a sub-class,
-- 6 a third level; the parent is the code less its last two digits.
CREATE TABLE land_use_codes (
  code    text PRIMARY KEY CHECK (code ~ '^[0-9]{2}([0-9]{2}){0,2}$'),
  name_zh text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en text NOT NULL CHECK (btrim(name_en) <> ''),
  parent  text REFERENCES land_use_codes (code),
  gb50137 text,  -- the older GB 50137 letter (M1, W2 ...), where there is one
  CONSTRAINT land_use_parent_is_prefix CHECK (
    (length(code) = 2 AND parent IS NULL)
    OR (length(code) > 2 AND parent = left(code, length(code) - 2)))
);

INSERT INTO land_use_codes (code, name_zh, name_en, parent, gb50137) VALUES
  ('01',     '耕地',               'Cropland',                                NULL,   NULL),
  ('03',     '林地',               'Forest land',                             NULL,   NULL),
  ('07',     '居住用地',           'Residential',                             NULL,   'R'),
  ('08',     '公共管理与公共服务用地', 'Public administration and services',  NULL,   'A'),
  ('09',     '商业服务业用地',     'Commercial and business services',        NULL,   'B'),
  ('10',     '工矿用地',           'Industrial and mining',                   NULL,   NULL),
  ('1001',   '工业用地',           'Industrial',                              '10',   'M'),
  ('100101', '一类工业用地',       'Class 1 industrial (little nuisance)',    '1001', 'M1'),
  ('100102', '二类工业用地',       'Class 2 industrial',                      '1001', 'M2'),
  ('100103', '三类工业用地',       'Class 3 industrial (heavy)',              '1001', 'M3'),
  ('1002',   '采矿用地',           'Mining',                                  '10',   NULL),
  ('11',     '仓储用地',           'Warehousing',                             NULL,   'W'),
  ('1101',   '物流仓储用地',       'Logistics and warehousing',               '11',   'W'),
  ('110101', '一类物流仓储用地',   'Class 1 logistics and warehousing',       '1101', 'W1'),
  ('110102', '二类物流仓储用地',   'Class 2 logistics and warehousing',       '1101', 'W2'),
  ('110103', '三类物流仓储用地',   'Class 3 logistics and warehousing',       '1101', 'W3'),
  ('1102',   '储备库用地',         'Strategic reserve depots',                '11',   NULL),
  ('12',     '交通运输用地',       'Transport',                               NULL,   NULL),
  ('1201',   '铁路用地',           'Railway',                                 '12',   'H21'),
  ('1202',   '公路用地',           'Highway',                                 '12',   'H22'),
  ('1203',   '机场用地',           'Airport',                                 '12',   'H24'),
  ('1204',   '港口码头用地',       'Port and wharf',                          '12',   'H23'),
  ('1207',   '城镇道路用地',       'Urban roads',                             '12',   'S1'),
  ('1208',   '交通场站用地',       'Transport stations and yards',            '12',   'S4'),
  ('13',     '公用设施用地',       'Public utilities',                        NULL,   'U'),
  ('1301',   '供水用地',           'Water supply',                            '13',   'U11'),
  ('1302',   '排水用地',           'Drainage and sewage',                     '13',   'U21'),
  ('1303',   '供电用地',           'Power supply',                            '13',   'U12'),
  ('1304',   '供燃气用地',         'Gas supply',                              '13',   'U13'),
  ('1305',   '供热用地',           'Heat supply',                             '13',   'U14'),
  ('1306',   '通信用地',           'Telecommunications',                      '13',   'U15'),
  ('14',     '绿地与开敞空间用地', 'Green and open space',                    NULL,   'G'),
  ('1401',   '公园绿地',           'Parks',                                   '14',   'G1'),
  ('1402',   '防护绿地',           'Protective green belts',                  '14',   'G2'),
  ('1403',   '广场用地',           'Squares',                                 '14',   'G3'),
  ('17',     '陆地水域',           'Inland water',                            NULL,   'E1');

-- 地块状态 (DOMAIN.md). A table rather than a CHECK so the Chinese names live with the codes.
CREATE TABLE land_statuses (
  code    text PRIMARY KEY,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  ord     smallint NOT NULL UNIQUE
);

INSERT INTO land_statuses (code, name_zh, name_en, ord) VALUES
  ('reserve',             '储备',     'Reserve',                 1),
  ('approved_unsupplied', '批而未供', 'Approved, not supplied',  2),
  ('available',           '可供',     'Available',               3),
  ('supplied',            '已供',     'Supplied',                4),
  ('under_construction',  '在建',     'Under construction',      5),
  ('in_production',       '已投产',   'In production',           6),
  ('idle',                '闲置',     'Idle',                    7),
  ('inefficient',         '低效',     'Inefficient',             8),
  ('unavailable',         '不可供',   'Unavailable',             9);

-- 园区. Infrastructure is the park's list of utilities in place (七通一平 differs between
-- parks, so it is a list, not columns); `utilities` holds each one's status and capacity.
CREATE TABLE parks (
  id                 text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'),
  name_zh            text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en            text,
  level              text NOT NULL CHECK (level IN ('main_platform', 'cooperation_park', 'county_park', 'other')),
  city               text NOT NULL CHECK (btrim(city) <> ''),
  county             text,
  towns              text[] NOT NULL DEFAULT '{}',
  partner_city       text,
  leading_industries text[] NOT NULL DEFAULT '{}',
  planned_area_km2   double precision CHECK (planned_area_km2 > 0),
  infrastructure     text[] NOT NULL DEFAULT '{}' CHECK (infrastructure <@ ARRAY[
                       'road', 'water_supply', 'drainage', 'power', 'telecom', 'gas',
                       'public_transport', 'site_levelling', 'heat', 'steam',
                       'rainwater', 'sewage']::text[]),
  utilities          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(utilities) = 'object'),
  established        date,
  targets            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(targets) = 'object'),
  source             text,
  boundary           geometry(MultiPolygon, 4326) NOT NULL
                       CONSTRAINT park_boundary_valid CHECK (ST_IsValid(boundary))
                       CONSTRAINT park_boundary_not_empty CHECK (NOT ST_IsEmpty(boundary)),
  area_m2            double precision GENERATED ALWAYS AS (ST_Area(boundary::geography)) STORED,
  version            integer NOT NULL DEFAULT 1,
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parks_boundary_gix ON parks USING gist (boundary);
CREATE TRIGGER parks_version BEFORE UPDATE ON parks FOR EACH ROW EXECUTE FUNCTION bump_version();

-- 地块. Money in 万元 (10,000 CNY); ratios as fractions (0.3, not 30).
-- agreed_start: the start date agreed in the grant contract; actual_start: the real one;
-- stalled_since: the day building stopped. These three drive the idle-land rules.
CREATE TABLE plots (
  id                     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  park_id                text NOT NULL REFERENCES parks (id) ON UPDATE CASCADE,
  code                   text NOT NULL CHECK (btrim(code) <> ''),
  land_use               text NOT NULL REFERENCES land_use_codes (code),
  status                 text NOT NULL REFERENCES land_statuses (code),
  far_min                double precision CHECK (far_min >= 0),
  far_max                double precision CHECK (far_max > 0),
  coverage_min           double precision CHECK (coverage_min >= 0 AND coverage_min <= 1),
  green_max              double precision CHECK (green_max >= 0 AND green_max <= 1),
  land_user              text,
  supplied_on            date,
  land_price_wan         double precision CHECK (land_price_wan >= 0),
  agreed_start           date,
  actual_start           date,
  stalled_since          date,
  built_ratio            double precision CHECK (built_ratio >= 0 AND built_ratio <= 1),
  invested_wan           double precision CHECK (invested_wan >= 0),
  planned_investment_wan double precision CHECK (planned_investment_wan >= 0),
  output_wan             double precision CHECK (output_wan >= 0),
  tax_wan                double precision CHECK (tax_wan >= 0),
  geom                   geometry(MultiPolygon, 4326) NOT NULL
                           CONSTRAINT plot_geom_valid CHECK (ST_IsValid(geom))
                           CONSTRAINT plot_geom_not_empty CHECK (NOT ST_IsEmpty(geom)),
  area_m2                double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
  area_mu                double precision GENERATED ALWAYS AS (ST_Area(geom::geography) * 15.0 / 10000.0) STORED,
  version                integer NOT NULL DEFAULT 1,
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plot_code_unique_in_park UNIQUE (park_id, code),
  CONSTRAINT plot_far_range CHECK (far_min IS NULL OR far_max IS NULL OR far_min <= far_max),
  CONSTRAINT plot_stalled_after_start CHECK (stalled_since IS NULL OR (actual_start IS NOT NULL AND stalled_since >= actual_start)),
  -- Land that has been handed to a user has a user and a supply date; land that has not, has neither.
  CONSTRAINT plot_supplied_has_user CHECK (
    CASE WHEN status IN ('supplied', 'under_construction', 'in_production', 'idle', 'inefficient')
         THEN land_user IS NOT NULL AND supplied_on IS NOT NULL
         ELSE land_user IS NULL END)
);
CREATE INDEX plots_geom_gix ON plots USING gist (geom);
CREATE INDEX plots_park_status_idx ON plots (park_id, status);
CREATE TRIGGER plots_version BEFORE UPDATE ON plots FOR EACH ROW EXECUTE FUNCTION bump_version();

-- 闲置/低效用地 findings about a plot: what was found, why, and what is being done.
CREATE TABLE idle_records (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  plot_id        bigint NOT NULL REFERENCES plots (id),
  kind           text NOT NULL CHECK (kind IN ('idle', 'inefficient', 'approved_unsupplied')),
  cause          text NOT NULL CHECK (cause IN ('user', 'government', 'funding', 'market',
                   'planning_change', 'land_not_ready', 'other')),
  found_on       date NOT NULL,
  idle_since     date,
  measure        text CHECK (measure IN (
                   -- idle land (MLR Order No. 53)
                   'idle_fee', 'take_back_uncompensated', 'extend_start', 'change_use',
                   'temporary_use', 'take_back_compensated', 'land_swap',
                   -- inefficient land (seed 001/003)
                   'negotiated_take_back', 're_tender', 'added_investment', 'conversion',
                   'agreed_swap', 'joint_operation',
                   -- approved but unsupplied land
                   'supply', 'return_quota')),
  measure_status text NOT NULL DEFAULT 'pending' CHECK (measure_status IN ('pending', 'in_progress', 'done')),
  fee_wan        double precision CHECK (fee_wan >= 0),
  note           text,
  version        integer NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT idle_since_before_found CHECK (idle_since IS NULL OR idle_since <= found_on)
);
CREATE INDEX idle_records_plot_idx ON idle_records (plot_id);
CREATE TRIGGER idle_records_version BEFORE UPDATE ON idle_records FOR EACH ROW EXECUTE FUNCTION bump_version();

-- 交通节点.
CREATE TABLE transport_nodes (
  id         text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'),
  kind       text NOT NULL CHECK (kind IN ('highway_interchange', 'rail_station', 'rail_freight', 'port', 'airport')),
  name_zh    text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en    text,
  status     text NOT NULL DEFAULT 'existing' CHECK (status IN ('existing', 'under_construction', 'planned')),
  line       text,  -- the expressway, railway or waterway it serves
  geom       geometry(Point, 4326) NOT NULL CHECK (NOT ST_IsEmpty(geom)),
  version    integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transport_nodes_geom_gix ON transport_nodes USING gist (geom);
CREATE TRIGGER transport_nodes_version BEFORE UPDATE ON transport_nodes FOR EACH ROW EXECUTE FUNCTION bump_version();

-- 路网, routable with pgRouting: cost_s and reverse_cost_s are travel seconds at the
-- class speed (reverse -1 on one-way roads, as pgRouting expects).
CREATE TABLE road_vertices (
  id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  geom geometry(Point, 4326) NOT NULL UNIQUE
);
CREATE INDEX road_vertices_geom_gix ON road_vertices USING gist (geom);

CREATE TABLE roads (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  class          text NOT NULL CHECK (class IN ('expressway', 'national', 'provincial', 'county', 'estate', 'access')),
  name           text,
  speed_kmh      double precision NOT NULL CHECK (speed_kmh > 0 AND speed_kmh <= 130),
  oneway         boolean NOT NULL DEFAULT false,
  geom           geometry(LineString, 4326) NOT NULL
                   CONSTRAINT road_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom) AND ST_NPoints(geom) >= 2),
  length_m       double precision GENERATED ALWAYS AS (ST_Length(geom::geography)) STORED,
  cost_s         double precision GENERATED ALWAYS AS (ST_Length(geom::geography) * 3.6 / speed_kmh) STORED,
  reverse_cost_s double precision GENERATED ALWAYS AS (
                   CASE WHEN oneway THEN -1 ELSE ST_Length(geom::geography) * 3.6 / speed_kmh END) STORED,
  source         bigint REFERENCES road_vertices (id),
  target         bigint REFERENCES road_vertices (id),
  version        integer NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX roads_geom_gix ON roads USING gist (geom);
CREATE INDEX roads_source_idx ON roads (source);
CREATE INDEX roads_target_idx ON roads (target);
CREATE TRIGGER roads_version BEFORE UPDATE ON roads FOR EACH ROW EXECUTE FUNCTION bump_version();

-- Rebuilds road_vertices and every road's source/target from the line ends: two roads
-- meet where their ends fall within `tolerance_deg` (1e-7° is about a centimetre).
-- Roads that cross without a shared end do not meet (bridges, interchanges by design).
-- Written here rather than with pgr_createTopology, which pgRouting 3.8 deprecates.
CREATE FUNCTION rebuild_road_topology(tolerance_deg double precision DEFAULT 1e-7)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  UPDATE roads SET source = NULL, target = NULL WHERE source IS NOT NULL OR target IS NOT NULL;
  DELETE FROM road_vertices;
  INSERT INTO road_vertices (geom)
    SELECT DISTINCT ST_SnapToGrid(p, tolerance_deg)
    FROM (SELECT ST_StartPoint(geom) AS p FROM roads
          UNION ALL SELECT ST_EndPoint(geom) FROM roads) ends;
  UPDATE roads r SET
    source = (SELECT v.id FROM road_vertices v WHERE v.geom = ST_SnapToGrid(ST_StartPoint(r.geom), tolerance_deg)),
    target = (SELECT v.id FROM road_vertices v WHERE v.geom = ST_SnapToGrid(ST_EndPoint(r.geom), tolerance_deg));
  SELECT count(*) INTO n FROM road_vertices;
  RETURN n;
END $$;

-- 管控范围: land no project may take.
CREATE TABLE constraints (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('ecological_redline', 'permanent_farmland', 'flood', 'water_source')),
  name       text NOT NULL CHECK (btrim(name) <> ''),
  geom       geometry(MultiPolygon, 4326) NOT NULL
               CONSTRAINT constraint_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  area_m2    double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
  version    integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX constraints_geom_gix ON constraints USING gist (geom);
CREATE TRIGGER constraints_version BEFORE UPDATE ON constraints FOR EACH ROW EXECUTE FUNCTION bump_version();

-- 项目: a planned project and the land it needs; project_plots are the plots it got.
CREATE TABLE projects (
  id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name               text NOT NULL CHECK (btrim(name) <> ''),
  investor           text,
  industry           text NOT NULL CHECK (btrim(industry) <> ''),
  land_use           text REFERENCES land_use_codes (code),
  demand_mu          double precision NOT NULL CHECK (demand_mu > 0),
  investment_wan     double precision CHECK (investment_wan >= 0),
  output_wan         double precision CHECK (output_wan >= 0),
  tax_wan            double precision CHECK (tax_wan >= 0),
  stage              text NOT NULL CHECK (stage IN ('negotiating', 'signed', 'landed')),
  park_id            text REFERENCES parks (id) ON UPDATE CASCADE,
  requirements       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(requirements) = 'object'),
  source             text,
  version            integer NOT NULL DEFAULT 1,
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER projects_version BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE TABLE project_plots (
  project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  plot_id    bigint NOT NULL REFERENCES plots (id),
  PRIMARY KEY (project_id, plot_id)
);
CREATE INDEX project_plots_plot_idx ON project_plots (plot_id);

-- Who changed what, with the row before and after (the write side fills it).
CREATE TABLE audit_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL,
  table_name text NOT NULL,
  row_id     text NOT NULL,
  action     text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  before     jsonb,
  after      jsonb,
  CHECK ((action = 'insert') = (before IS NULL)),
  CHECK ((action = 'delete') = (after IS NULL))
);
CREATE INDEX audit_log_row_idx ON audit_log (table_name, row_id, at);

-- API tokens: only an argon2 hash is kept.
CREATE TABLE api_tokens (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
  role       text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  hash       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
