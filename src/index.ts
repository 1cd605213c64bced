// The public API of the system under test (src/): an etcd-like member, pure and synchronous.
// Exports are listed by name as modules land.
export {};
