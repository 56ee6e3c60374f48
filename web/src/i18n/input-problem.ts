/** One thing wrong with the input, as the API names it: the field's path, the rule it broke and a Chinese sentence. */
export interface InputProblem {
  field: string;
  rule: string;
  params?: Record<string, unknown>;
  message: string;
}
