/**
 * A ClickHouse HTTP front over chDB, **for tests only**: the part of ClickHouse's HTTP interface
 * that `@clickhouse/client` uses, served by the real engine, so the server path of the product
 * (`CLICKHOUSE_URL`) runs end to end where no ClickHouse server can be installed. Never imported by
 * product code (scripts/boundaries.test.ts). What it emulates and what not: README.md here.
 */
export { startClickHouseFront, type ClickHouseFront, type FrontOptions } from './start.js'
