package bot

import (
	"errors"

	"github.com/dealpilot/dealpilot/domain"
)

func asErrors(err error, es *domain.Errors) bool { return errors.As(err, es) }
func asError(err error, e **domain.Error) bool   { return errors.As(err, e) }

func appendErr(es domain.Errors, err error) domain.Errors {
	var list domain.Errors
	var one *domain.Error
	switch {
	case asErrors(err, &list):
		return append(es, list...)
	case asError(err, &one):
		return append(es, one)
	}
	return es
}
