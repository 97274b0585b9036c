package bot

import (
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
)

// directory is the configuration as the rules see it (domain.Org,
// domain.Directory). A first install without teams knows everyone: each
// may own deals (domain.CanOwn) and reads their own (everyone's with
// visibility: company).
type directory struct{ *config.Config }

func (d directory) Knows(user domain.UserID) bool {
	return len(d.Teams) == 0 || d.Config.Knows(user)
}

// sight is whose deals, forecasts and KPIs user may read: every read path
// asks it, through domain.CanRead's rule (Sight.Check).
func (b *Bot) sight(user domain.UserID) domain.Sight {
	return domain.Sees(directory{b.cfg}, b.cfg.Visibility, user)
}
