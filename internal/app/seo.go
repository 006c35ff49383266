package app

import "context"

// publishedModuleSlugs lists the published modules for the sitemap: the catalog as an anonymous
// visitor sees it, since every module page there is public.
func (a *App) publishedModuleSlugs(ctx context.Context) ([]string, error) {
	mods, err := a.Catalog.Catalog(ctx, "")
	if err != nil {
		return nil, err
	}
	slugs := make([]string, len(mods))
	for i, m := range mods {
		slugs[i] = m.Slug
	}
	return slugs, nil
}
