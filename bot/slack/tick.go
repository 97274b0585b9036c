package slack

import "context"

// Tick runs the bot's scheduled jobs once, at the bot clock's time, with the
// app as their Messenger: for the demo and tools that drive a manual clock
// (Options.TickEvery < 0). Serve ticks by itself.
func (a *App) Tick(ctx context.Context) []error { return a.bot.Tick(ctx, a) }
