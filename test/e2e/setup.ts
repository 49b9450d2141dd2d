/** Each e2e test starts a local cloud, a preview server and a browser page, then acts as a person. */
jest.setTimeout(120_000);
