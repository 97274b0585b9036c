package bot

// KeptPipelineScopes is how many scopes /pipeline keeps parts' counts of
// (pipeline_parts.go), for tests.
func KeptPipelineScopes(b *Bot) int {
	b.partCounts.mu.Lock()
	defer b.partCounts.mu.Unlock()
	return len(b.partCounts.scopes)
}

// KeptAnswers is how many figures of /pipeline segments and retention are
// kept (pipeline_parts.go), for tests.
func KeptAnswers(b *Bot) int {
	b.answers.mu.Lock()
	defer b.answers.mu.Unlock()
	return len(b.answers.m)
}
