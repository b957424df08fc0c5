package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

func (h *Handlers) registerCategories() {
	h.b.Router.Callback("cat:", h.categoryCallback)
	h.b.Forms.Register(&bot.Form{
		Name: "category.add",
		Fields: []bot.Field{
			{Name: "name", Prompt: "category.ask.name", Label: "field.category",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					v := strings.TrimSpace(text)
					if v == "" || len([]rune(v)) > 40 {
						return "", crm.Invalid("name", "err.category_name", nil)
					}
					return v, nil
				}},
			{Name: "discount", Prompt: "category.ask.discount", Label: "field.discount",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(text), "%"))
					if err != nil || n < 0 || n > 100 {
						return "", crm.Invalid("discount", "err.discount", nil)
					}
					return strconv.Itoa(n), nil
				}},
		},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			n, _ := strconv.Atoi(v["discount"])
			c, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error {
				if c.Categories == nil {
					c.Categories = map[string]int{}
				}
				if len(c.Categories) >= 30 {
					return crm.Invalid("name", "err.too_many_tags", map[string]any{"Max": 30})
				}
				c.Categories[v["name"]] = n
				return nil
			})
			if err != nil {
				return err
			}
			setTenant(r, c)
			return h.categoriesMenu(ctx, r)
		},
	})
}

// categoryID names a category on a button: a short hash of its name, so a
// button still means the same category after others are added or removed
// (a name can be too long for a button's 64 bytes).
func categoryID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:5])
}

func sortedCategories(cats map[string]int) []string {
	var names []string
	for n := range cats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// categoriesMenu lists her customer categories and their discounts.
func (h *Handlers) categoriesMenu(ctx context.Context, r *bot.Request) error {
	type cat struct {
		Name     string
		Discount int
	}
	var cats []cat
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, n := range sortedCategories(tenantOf(r).Categories) {
		cats = append(cats, cat{n, tenantOf(r).Categories[n]})
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button("🗑 "+n, "cat:del:"+categoryID(n))})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_category", nil), "cat:add")})
	_, _ = h.b.Say(ctx, r, "category.menu", map[string]any{"Categories": cats}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

func (h *Handlers) categoryCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	h.b.AnswerCallback(ctx, r, "")
	switch {
	case len(parts) == 2 && parts[1] == "add":
		return h.b.Forms.Start(ctx, r, "category.add", nil)
	case len(parts) == 3 && parts[1] == "del":
		// Found by id inside the update: a stale menu deletes the category
		// it showed, or nothing when that one is gone already.
		c, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error {
			for n := range c.Categories {
				if categoryID(n) == parts[2] {
					delete(c.Categories, n)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		setTenant(r, c)
		h.clearKeyboard(ctx, r)
		return h.categoriesMenu(ctx, r)
	}
	return nil
}

// categoryDiscount is the discount of the customer's category, which a new
// order starts with.
func (h *Handlers) categoryDiscount(_ context.Context, r *bot.Request, c crm.Customer) int {
	for name, d := range tenantOf(r).Categories {
		if c.Category != "" && strings.EqualFold(name, c.Category) {
			return d
		}
	}
	return 0
}
