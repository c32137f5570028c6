package anonymizer

// growHuge returns s with room for n more elements: when it must move, the
// new array is twice as large (or what n needs) and offered huge pages
// (hugePages) before it is written.
func growHuge[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	bigger := hugePages(make([]T, len(s), max(2*cap(s), len(s)+n, 16)))
	copy(bigger, s)
	return bigger
}
