package bot

import (
	"errors"

	"github.com/dealpilot/dealpilot/domain"
)

func asErrors(err error, es *domain.Errors) bool { return errors.As(err, es) }
func asError(err error, e **domain.Error) bool   { return errors.As(err, e) }
