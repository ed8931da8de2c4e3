using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Domain;

public sealed class UsesTextTests
{
    [Fact]
    public void Uses_written_as_text_read_back_whatever_semicolons_colons_and_backslashes_they_hold()
    {
        AllowedUse[] uses =
        [
            new("papa y cebada", UseRating.Recommended),
            new("agua; riego", UseRating.RecommendedWithRestrictions),
            new("ruta: inca", UseRating.NotRecommended),
            new(@"barra\; \\ rara\", UseRating.Recommended),
        ];

        var text = UsesText.Write(uses);

        Assert.Equal(@"papa y cebada: recommended; agua\; riego: recommended_with_restrictions; ruta: inca: not_recommended; barra\\\; \\\\ rara\\: recommended", text);
        Assert.Equal(uses.Select(u => (u.Use, Zee.Name(u.Rating))), UsesText.Read(text).Select(e => (e.Use!, e.Rating!)));
    }

    [Theory]
    [InlineData("Protección y Conservación", "proteccion_y_conservacion")]
    [InlineData("PROTECCION-Y-CONSERVACION", "proteccion_y_conservacion")]
    [InlineData("  Zonas de recuperación ", "zonas_de_recuperacion")]
    [InlineData("Categoría", "categoria")]
    [InlineData("altitudeMode", "altitudemode")]
    public void Names_fold_case_accents_and_separators(string name, string key) => Assert.Equal(key, Zee.Key(name));

    [Fact]
    public void Every_value_reads_under_its_english_and_spanish_names_and_a_category_under_the_decrees_title()
    {
        foreach (var category in Enum.GetValues<ZeeCategory>())
        {
            Assert.True(Zee.TryParse(Zee.SpanishName(category), out ZeeCategory spanish) && spanish == category);
            Assert.True(Zee.TryParse(Zee.DecreeName(category).Replace('_', ' '), out ZeeCategory decree) && decree == category);
        }

        foreach (var subcategory in Enum.GetValues<ZeeSubcategory>())
        {
            Assert.True(Zee.TryParse(Zee.SpanishName(subcategory).ToUpperInvariant(), out ZeeSubcategory parsed) && parsed == subcategory);
        }

        foreach (var rating in Enum.GetValues<UseRating>())
        {
            Assert.True(Zee.TryParse(Zee.SpanishName(rating).Replace('_', ' '), out UseRating parsed) && parsed == rating);
        }

        Assert.False(Zee.TryParse("agricola", out ZeeCategory _));
    }

    [Fact]
    public void The_files_page_lists_every_value_under_its_english_and_spanish_names_and_every_column_name()
    {
        var page = File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot(), "docs", "land-use-files.md"));

        foreach (var category in Enum.GetValues<ZeeCategory>())
        {
            Assert.Contains($"| `{Zee.Name(category)}` | `{Zee.SpanishName(category)}` |", page, StringComparison.Ordinal);
        }

        foreach (var subcategory in Enum.GetValues<ZeeSubcategory>())
        {
            Assert.Contains($"| `{Zee.Name(subcategory)}` | `{Zee.SpanishName(subcategory)}` | {Zee.Name(Zee.CategoryOf(subcategory))} |", page, StringComparison.Ordinal);
        }

        foreach (var rating in Enum.GetValues<UseRating>())
        {
            Assert.Contains($"| `{Zee.Name(rating)}` | `{Zee.SpanishName(rating)}` |", page, StringComparison.Ordinal);
        }

        foreach (var (field, names) in ZoneAttributes.Names)
        {
            Assert.Contains($"| {field} | {string.Join(", ", names.Select(n => $"`{n}`"))} |", page, StringComparison.Ordinal);
        }
    }
}
