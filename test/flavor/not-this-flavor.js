// The module every import of cdktf or @cdktf/provider-aws resolves to in the cdktn run
// (test/flavor/jest.cdktn.config.js): loading it fails the test that did.
throw new Error('The cdktn run loaded cdktf or @cdktf/provider-aws: only cdktn and @cdktn/provider-aws may be imported here (see scripts/flavor.js).');
