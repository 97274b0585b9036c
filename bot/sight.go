package bot

import (
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
)

// directory is the configuration as the read rule sees it. A first install
// without teams knows everyone, as mayCreate does: each reads their own deals
// (everyone's with visibility: company).
type directory struct{ *config.Config }

func (d directory) Knows(user domain.UserID) bool {
	return len(d.Teams) == 0 || d.Config.Knows(user)
}

// sight is whose deals, forecasts and KPIs user may read: every read path
// asks it, through domain.CanRead's rule (Sight.Check).
func (b *Bot) sight(user domain.UserID) domain.Sight {
	return domain.Sees(directory{b.cfg}, b.cfg.Visibility, user)
}
