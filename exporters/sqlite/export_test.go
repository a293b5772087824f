package sqlite

// Helpers of the internal tests that the external tests (package
// sqlite_test) use too.
var (
	RequireFTS5 = requireFTS5
	FolderState = folderState
)
