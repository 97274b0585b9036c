package domain_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// rankWords are the words generated deal and account names are made of.
var rankWords = strings.Fields(`
	Acme Alpine Atlas Aurora Azur Banque Bellevue Bordeaux Boréal Bretagne
	Café Cargo Cascade Cèdre Château Cigogne Cité Clair Cloud Colibri
	Comète Compagnie Concorde Côte Crédit Cristal Dauphin Delta Digital Domaine
	Éclair Écrin Électrique Élan Émeraude Énergie Épicerie Étoile Étude Europa
	Express Fenêtre Fibre Finance Fleur Forêt Fromagerie Galaxie Garonne Génie
	Global Grand Groupe Hélios Horizon Hôpital Hôtel Île Industrie Infra
	Jardin Jura Kappa Labo Lac Lagune Léman Libellule Lion Logistique
	Lumière Lutèce Lyon Madeleine Maison Marché Marine Médical Mercure Méridien
	Métropole Mistral Montagne Moulin Mutuelle Nantes Nature Navire Neige Nord
	Nova Océan Œuvre Olympe Omega Opale Orange Orchidée Ouest Pacifique
	Papeterie Paris Pâtisserie Pavillon Perle Pharma Phénix Pierre Pilote Pixel
	Plage Plaine Pôle Pomme Port Prairie Prestige Prisme Provence Pyramide
	Quartz Radio Rapide Régie Renard Rhône Rivière Rocher Rose Royal
	Saint Santé Saphir Savoie Sécurité Seine Sérénité Sigma Signal Société
	Solaire Soleil Source Sphère Sport Station Studio Sud Supérieur Système
	Tanneur Télécom Terre Thé Tissage Titan Tonnerre Touraine Tour Transport
	Trésor Tribune Union Univers Urbain Valée Vallée Vapeur Vega Vélo
	Vendôme Vent Verger Vérité Viaduc Vigne Village Vision Voile Volcan
	Voyage Zénith Zéphyr Alsace Ardèche Brasserie Chocolaterie Garçon Façade Leçon`)

var (
	rankDealKinds = strings.Fields(`renewal expansion pilot migration rollout upgrade licences audit support onboarding`)
	rankLegal     = []string{"SA", "SAS", "SARL", "GmbH", "Ltd", "Inc", ""}
)

// genDeals returns n deals with ids 1..n, made from a fixed seed: the same n
// always gives the same deals. Four in five are open.
func genDeals(n int) []*domain.Deal {
	r := rand.New(rand.NewPCG(2026, 12))
	word := func() string { return rankWords[r.IntN(len(rankWords))] }
	base := domain.NewDate(2026, time.January, 1)
	deals := make([]*domain.Deal, n)
	for i := range deals {
		account := word()
		if r.IntN(2) == 0 {
			account += " " + word()
		}
		if l := rankLegal[r.IntN(len(rankLegal))]; l != "" {
			account += " " + l
		}
		name := word()
		if r.IntN(3) == 0 {
			name += " " + word()
		}
		name += " " + rankDealKinds[r.IntN(len(rankDealKinds))]
		d := &domain.Deal{
			ID:        domain.DealID(i + 1),
			Name:      name,
			Account:   account,
			Owner:     domain.UserID("U" + string(rune('A'+r.IntN(26)))),
			Amount:    int64(1000+r.IntN(500_000)) * 100,
			Currency:  "EUR",
			Stage:     "discovery",
			Category:  domain.Pipeline,
			CloseDate: base.AddDays(r.IntN(730)),
			Status:    domain.Open,
		}
		switch r.IntN(10) {
		case 0:
			d.Status = domain.Won
		case 1:
			d.Status, d.LossReason = domain.Lost, "price"
		default:
			d.NextStep, d.NextStepDue = "Call back", base.AddDays(r.IntN(120))
		}
		deals[i] = d
	}
	return deals
}

// BenchmarkRankDeals100k measures the deal picker over 100,000 deals: the
// index build, then queries with Slack's limit of 100 options.
func BenchmarkRankDeals100k(b *testing.B) {
	deals := genDeals(100_000)
	b.Run("build index", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			domain.NewDealIndex(deals)
		}
	})
	ix := domain.NewDealIndex(deals)
	for _, bc := range []struct{ name, query string }{
		{"rank 1-word common prefix", "s"},
		{"rank 1-word", "bell"},
		{"rank 2-word", "hôtel par"},
		{"rank 3-word", "cafe lyon ren"},
		{"rank ref", "D-54321"},
		{"rank empty query", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var got []*domain.Deal
			for b.Loop() {
				got = ix.Rank(bc.query, 100)
			}
			if len(got) == 0 {
				b.Fatalf("Rank(%q) found nothing", bc.query)
			}
			b.ReportMetric(float64(len(got)), "deals/op")
		})
	}
	b.Run("RankDeals one-off 2-word", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			domain.RankDeals("hôtel par", deals, 100)
		}
	})
}
