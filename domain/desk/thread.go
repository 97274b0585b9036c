package desk

// Thread is where a request was posted for its approvers: a channel and the
// reference of the root message (a Slack ts), under which decisions are
// replied. The zero Thread means the request was not posted (approved at
// once, or no deal-desk channel).
type Thread struct {
	Channel string
	Ref     string
}

// Posted reports whether the request has a message to update.
func (t Thread) Posted() bool { return t.Channel != "" && t.Ref != "" }

// Posted is a request as the store keeps it: the request and its thread.
type Posted struct {
	Request *Request
	Thread  Thread
}
