/**
 * An error in what `compare` was given (a file that is not a results file, incompatible versions, nothing in
 * common, a bad threshold): the CLI prints its message as one line and exits 2.
 */
export class CompareInputError extends Error {
  override readonly name = 'CompareInputError';
}
