-- The fleet registry (apps/ingest/src/registry): agents and tools seen in traffic, Agent Cards, drift events.
--
-- Numbers (calls, errors, latency, cost) come from the rollups, fed by resolved traces. Two edge
-- dimensions are added there (packages/core/src/trace/contributions.ts), so agg_5m/agg_1h also hold:
--   agent_tool   value: agent, NUL, tool       one row per counted tool call of an agent (units = calls)
--   agent_agent  value: caller, NUL, delegate  one row per delegation (units judged like an agent
--                invocation; model calls, tokens and cost = the work done under the delegation)
-- Traces resolved before this migration lack them: the watermark reset at the end makes the resolver's
-- catch-up resolve every stored trace again on the next start (their content changes, so each gets a
-- new state; unchanged traces would be skipped).

-- What traffic says about identities, not numbers: which agent ran under which service, release and
-- environment; which tool behind which MCP server (and how it was reached); which input schemas a
-- tool was listed with. Filled from spans as they are stored; first/last seen are min/max of span
-- start times, so a span stored twice changes nothing.
--   entity 'agent'        k1 agent, k2 service, k3 release, k4 environment; detail 'a2a' when served over A2A
--   entity 'tool'         k1 tool, k2 MCP server ('' = not MCP), k3 service of the span, k4 client | server | local;
--                         detail JSON {version, transport, url} of the MCP server as the span reports it
--   entity 'tool_schema'  k1 tool, k2 MCP server ('' = a model's tool definition), k3 hash of the input
--                         schema text, k4 tools/list | gen_ai; detail the tool's definition as listed
CREATE TABLE IF NOT EXISTS registry_observations
(
    project_id LowCardinality(String),
    entity LowCardinality(String),
    k1 String,
    k2 String,
    k3 String,
    k4 String,
    detail SimpleAggregateFunction(max, String),
    first_seen SimpleAggregateFunction(min, DateTime64(9, 'UTC')),
    last_seen SimpleAggregateFunction(max, DateTime64(9, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (project_id, entity, k1, k2, k3, k4)
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS registry_observations_mv TO registry_observations AS
SELECT
    project_id,
    tupleElement(o, 1) AS entity,
    tupleElement(o, 2) AS k1,
    tupleElement(o, 3) AS k2,
    tupleElement(o, 4) AS k3,
    tupleElement(o, 5) AS k4,
    tupleElement(o, 6) AS detail,
    start_time AS first_seen,
    start_time AS last_seen
FROM spans
ARRAY JOIN arrayConcat(
    if(kind = 'agent' AND agent_name != '',
        [tuple('agent', agent_name, service_name, service_version, environment, if(has(flags, 'a2a:server'), 'a2a', ''))], []),
    if(kind = 'tool' AND tool_name != '',
        [tuple('tool', tool_name, attributes['mcp.server.name'], service_name,
            multiIf(has(flags, 'mcp:server'), 'server', has(flags, 'mcp:client'), 'client', 'local'),
            if(attributes['mcp.server.name'] = '', '', toJSONString(map('version', attributes['mcp.server.version'],
                'transport', attributes['mcp.server.transport'], 'url', attributes['mcp.server.url']))))], []),
    arrayMap(d -> tuple('tool_schema', JSONExtractString(d, 'name'), attributes['mcp.server.name'],
            hex(sipHash64(JSONExtractRaw(d, 'inputSchema'))), 'tools/list', d),
        arrayFilter(d -> JSONExtractString(d, 'name') != '', JSONExtractArrayRaw(attributes['mcp.tools']))),
    arrayMap(d -> tuple('tool_schema', JSONExtractString(d, 'name'), '',
            hex(sipHash64(JSONExtractRaw(d, 'parameters'))), 'gen_ai', d),
        arrayFilter(d -> JSONExtractString(d, 'name') != '', JSONExtractArrayRaw(attributes['gen_ai.tool.definitions'])))
) AS o
WHERE NOT has(flags, 'regression_run')
  AND (kind IN ('agent', 'tool') OR mapContains(attributes, 'mcp.tools') OR mapContains(attributes, 'gen_ai.tool.definitions'));

-- Agent Cards (A2A 0.3 or 1.0), validated before they are stored. One row per distinct card content
-- of an agent; `revision` numbers them in the order they were first received. Pushing the same card
-- again only moves `last_received` (the newest row of a key wins).
CREATE TABLE IF NOT EXISTS agent_cards
(
    project_id LowCardinality(String),
    agent_name String,
    content_hash String,
    revision UInt32,
    card_version String,
    protocol_version LowCardinality(String),
    source LowCardinality(String),
    source_url String,
    card String CODEC(ZSTD(3)),
    first_received DateTime64(3, 'UTC'),
    last_received DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(last_received)
ORDER BY (project_id, agent_name, content_hash)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- Drift: what changed in the fleet, each with a diff. Ids are derived from what changed, so a scan
-- that finds the same change again writes nothing new.
--   kind  agent_version | card_changed | tool_schema_changed | tool_disappeared | new_tool_call
CREATE TABLE IF NOT EXISTS registry_events
(
    project_id LowCardinality(String),
    id String,
    kind LowCardinality(String),
    subject String,
    at DateTime64(3, 'UTC'),
    summary String,
    diff String CODEC(ZSTD(3)),
    detected_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (project_id, id)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- Stored spans are observed once (the view only sees new inserts): fill from what is stored.
INSERT INTO registry_observations
SELECT
    project_id,
    tupleElement(o, 1), tupleElement(o, 2), tupleElement(o, 3), tupleElement(o, 4), tupleElement(o, 5), tupleElement(o, 6),
    start_time, start_time
FROM spans
ARRAY JOIN arrayConcat(
    if(kind = 'agent' AND agent_name != '',
        [tuple('agent', agent_name, service_name, service_version, environment, if(has(flags, 'a2a:server'), 'a2a', ''))], []),
    if(kind = 'tool' AND tool_name != '',
        [tuple('tool', tool_name, attributes['mcp.server.name'], service_name,
            multiIf(has(flags, 'mcp:server'), 'server', has(flags, 'mcp:client'), 'client', 'local'),
            if(attributes['mcp.server.name'] = '', '', toJSONString(map('version', attributes['mcp.server.version'],
                'transport', attributes['mcp.server.transport'], 'url', attributes['mcp.server.url']))))], []),
    arrayMap(d -> tuple('tool_schema', JSONExtractString(d, 'name'), attributes['mcp.server.name'],
            hex(sipHash64(JSONExtractRaw(d, 'inputSchema'))), 'tools/list', d),
        arrayFilter(d -> JSONExtractString(d, 'name') != '', JSONExtractArrayRaw(attributes['mcp.tools']))),
    arrayMap(d -> tuple('tool_schema', JSONExtractString(d, 'name'), '',
            hex(sipHash64(JSONExtractRaw(d, 'parameters'))), 'gen_ai', d),
        arrayFilter(d -> JSONExtractString(d, 'name') != '', JSONExtractArrayRaw(attributes['gen_ai.tool.definitions'])))
) AS o
WHERE NOT has(flags, 'regression_run')
  AND (kind IN ('agent', 'tool') OR mapContains(attributes, 'mcp.tools') OR mapContains(attributes, 'gen_ai.tool.definitions'));

-- Re-resolve every stored trace on the next start, so the rollups gain the edge dimensions.
INSERT INTO resolver_state (name, value) VALUES ('watermark', '1970-01-01 00:00:00.000');
