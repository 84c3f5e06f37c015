/**
 * The text rules behind scripts/boundaries.test.ts, kept apart so the test can run each rule on a
 * sample first: a rule that finds nothing in the code must also be shown to find something in a
 * sample that breaks it, or it could pass vacuously.
 */

/** Block comments and whole-line `//` comments go: prose about a query is not a query. */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
}

/** Every quoted or template string literal of the (comment-free) text, without its quotes. */
export function stringLiterals(text: string): string[] {
  return [...text.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0].slice(1, -1))
}

/**
 * Statement shapes, upper case as every query here is written (lower-case prose such as "select a
 * model from the list" is not SQL).
 */
const SQL_STATEMENT = new RegExp(
  [
    String.raw`\b(?:SELECT\b[\s\S]*?\bFROM\b|SELECT\s+\d|INSERT\s+INTO|ALTER\s+TABLE|`,
    String.raw`CREATE\s+(?:TABLE|VIEW|MATERIALIZED\s+VIEW|DATABASE)|DROP\s+(?:TABLE|VIEW|DATABASE)|`,
    String.raw`OPTIMIZE\s+TABLE|TRUNCATE\s+TABLE|DELETE\s+FROM|SYSTEM\s+[A-Z]+)\b`,
  ].join(''),
)

/** What in a source file is SQL: a use of the `sql` tagged template, or a string literal holding a statement. */
export function sqlFindings(source: string): string[] {
  const text = withoutComments(source)
  const tags = [...text.matchAll(/\bsql\s*`/g)].map(() => 'sql`…` template')
  const literals = stringLiterals(text)
    .filter((literal) => SQL_STATEMENT.test(literal))
    .map((literal) => `query string: ${literal.trim().slice(0, 60)}`)
  return [...tags, ...literals]
}

/** Module specifiers imported by a source file (static, dynamic and side-effect imports). */
export function importSpecifiers(source: string): string[] {
  const text = withoutComments(source).replace(/`[^`]*`/g, '``')
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!)
}

/** Names of the zod schemas a contract source file exports (`export const FooSchema = …`). */
export function exportedSchemaNames(source: string): string[] {
  return [...withoutComments(source).matchAll(/export\s+const\s+(\w+Schema)\b/g)].map((m) => m[1]!)
}

/**
 * Zod schemas a console file declares itself although the contract owns them: a `const XSchema = z…`
 * whose name the contract exports, and in an API module (`api/`, `*-api.ts`) any inline `z.object`
 * (a response envelope declared beside the call instead of in the contract).
 */
export function redeclaredSchemas(source: string, contract: ReadonlySet<string>, isApiModule: boolean): string[] {
  const text = withoutComments(source)
  const named = [...text.matchAll(/\b(?:const|let)\s+(\w+Schema)\s*(?::[^=]+)?=\s*z\s*\./g)]
    .map((m) => m[1]!)
    .filter((name) => contract.has(name))
    .map((name) => `${name} re-declared`)
  const inline = isApiModule ? [...text.matchAll(/\bz\s*\.\s*object\s*\(/g)].map(() => 'z.object in an API module') : []
  return [...named, ...inline]
}
