# Tests of client/store.
