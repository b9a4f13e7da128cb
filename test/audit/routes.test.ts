import { OPERATIONS, type OperationName } from "../../client/contract";
import { operationForRequest } from "../../client/routes";

test("every operation of the contract is found from its own method and a filled-in path", () => {
  for (const [name, operation] of Object.entries(OPERATIONS) as [
    OperationName,
    (typeof OPERATIONS)[OperationName],
  ][]) {
    const path = operation.path.replace(/:([A-Za-z]+)/g, (_, param: string) => `${param}_1`);
    expect({ name, found: operationForRequest(operation.method, path)?.name }).toEqual({ name, found: name });
  }
});

test("a logged request maps to the scope its operation requires", () => {
  expect(operationForRequest("POST", "/functions/fn_abc/execute")?.operation.scope).toBe("functions:execute");
  expect(operationForRequest("GET", "/events/subscriptions")?.name).toBe("events.listSubscriptions");
  expect(operationForRequest("GET", "/api-keys/key_1/usage/projects/shop")?.name).toBe(
    "apiKeys.getProjectUsage",
  );
  expect(operationForRequest("get", "/functions?limit=5")?.name).toBe("functions.list");
});

test("no operation for an unknown route or method", () => {
  expect(operationForRequest("DELETE", "/functions/fn_1")).toBeUndefined();
  expect(operationForRequest("GET", "/nothing/here")).toBeUndefined();
});
