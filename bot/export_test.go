package bot

// KeptPipelineScopes is how many scopes /pipeline keeps parts' counts of
// (pipeline_parts.go), for tests.
func KeptPipelineScopes(b *Bot) int {
	b.partCounts.mu.Lock()
	defer b.partCounts.mu.Unlock()
	return len(b.partCounts.scopes)
}
