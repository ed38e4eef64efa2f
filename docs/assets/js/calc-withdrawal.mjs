// withdrawal page: not written yet.
export function init() {
  return {};
}
