type Missing<T, Listed> = [Exclude<T, Listed>] extends [never] ? unknown : { missing: Exclude<T, Listed> };

/**
 * Every value of a string union as a list for run time (a select's options, a parser's
 * set), checked by tsc against the type: a value the type does not have does not compile,
 * nor does a list that leaves one of its values out (the error names it). Meant for the
 * enums of the generated API schema, so that a change on the server fails the build:
 * `export const ROLES = every<Role>()(['admin', 'staff', 'committee', 'partner']);`
 */
export function every<T extends string>() {
  return <const A extends readonly T[]>(values: A & Missing<T, A[number]>): A => values;
}
