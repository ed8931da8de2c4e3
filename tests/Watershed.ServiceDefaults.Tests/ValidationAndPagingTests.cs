using Watershed.Common.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;

namespace Watershed.ServiceDefaults.Tests;

public sealed class ValidationAndPagingTests
{
    private enum Colour
    {
        Unspecified = 0,
        Red = 1,
    }

    [Fact]
    public void All_violations_of_a_request_are_reported_together()
    {
        var v = new Validation();
        v.Text("  ", "name");
        v.Id("nope", "space_id");
        v.Enum(Colour.Unspecified, "colour");
        v.Enum((Colour)7, "other");
        var ex = Assert.Throws<InvalidArgumentException>(v.ThrowIfInvalid);
        Assert.Equal(["name", "space_id", "colour", "other"], ex.Violations.Select(x => x.Field));
    }

    [Fact]
    public void Text_is_trimmed_and_length_checked()
    {
        var v = new Validation();
        Assert.Equal("Pomacanchi", v.Text("  Pomacanchi ", "name"));
        v.Text(new string('x', 201), "long");
        Assert.Equal("long", Assert.Single(Assert.Throws<InvalidArgumentException>(v.ThrowIfInvalid).Violations).Field);
    }

    [Theory]
    [InlineData("Ana\0Quispe")]
    [InlineData("Ana\tQuispe")]
    [InlineData("Ana\nQuispe")]
    [InlineData("Plan\vTitle")]
    [InlineData("x\u0085y")]
    public void Names_refuse_every_control_character(string name)
    {
        var v = new Validation();
        v.Text(name, "name");
        v.OptionalLine(name, "code");
        var fields = Assert.Throws<InvalidArgumentException>(v.ThrowIfInvalid).Violations.Select(x => x.Field);
        Assert.Equal(["name", "code"], fields);
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        Assert.True(Validation.HasControlCharacter("lone " + (char)0xD800 + " surrogate", allowLineBreaksAndTabs: true));
        Assert.False(Validation.HasControlCharacter("pair 🌾", allowLineBreaksAndTabs: false));
    }

    [Fact]
    public void Notes_keep_line_breaks_and_tabs_but_refuse_other_control_characters()
    {
        var v = new Validation();
        Assert.Equal("line one\r\n\tline two", v.OptionalText("line one\r\n\tline two", "notes"));
        Assert.Equal("Quispe 🌾 Huamán", v.OptionalText("Quispe 🌾 Huamán", "emoji"));
        Assert.True(v.IsValid);
        v.OptionalText("a\0b", "nul");
        v.OptionalText("a\vb", "vertical_tab");
        Assert.Equal(["nul", "vertical_tab"], Assert.Throws<InvalidArgumentException>(v.ThrowIfInvalid).Violations.Select(x => x.Field));
    }

    [Theory]
    [InlineData(253_402_300_800L, 0)]
    [InlineData(-62_135_596_801L, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 1_000_000_000)]
    public void Instants_out_of_range_are_violations(long seconds, int nanos)
    {
        var v = new Validation();
        Assert.Null(v.Instant(new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = seconds, Nanos = nanos }, "scheduled_at"));
        Assert.Equal("scheduled_at", Assert.Single(Assert.Throws<InvalidArgumentException>(v.ThrowIfInvalid).Violations).Field);
    }

    [Fact]
    public void Instants_at_the_edges_of_the_range_are_accepted()
    {
        var v = new Validation();
        Assert.Equal(9999, v.Instant(new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 253_402_300_799L, Nanos = 999_999_999 }, "a")!.Value.Year);
        Assert.Equal(1, v.Instant(new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = -62_135_596_800L }, "b")!.Value.Year);
        Assert.Null(v.Instant(null, "c"));
        Assert.True(v.IsValid);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1e308)]
    [InlineData(-1e308)]
    public void Numbers_must_be_finite_and_in_range(double value)
    {
        var v = new Validation();
        v.Finite(value, "quorum_percent", 0, 100);
        Assert.Equal("quorum_percent", Assert.Single(Assert.Throws<InvalidArgumentException>(v.ThrowIfInvalid).Violations).Field);
    }

    [Fact]
    public void The_empty_uuid_is_not_an_id()
    {
        var v = new Validation();
        v.Id(Guid.Empty.ToString(), "id");
        Assert.False(v.IsValid);
    }

    private static Page Read(PageRequest request)
    {
        var v = new Validation();
        var page = Page.From(request, v);
        v.ThrowIfInvalid();
        return page;
    }

    [Fact]
    public void Page_tokens_walk_a_list_and_stop_at_its_end()
    {
        var items = Enumerable.Range(0, 5).ToList();
        var pages = new List<List<int>>();
        var token = string.Empty;
        do
        {
            var page = Read(new PageRequest { PageSize = 2, PageToken = token });
            var fetched = items.Skip(page.Offset).Take(page.Take).ToList();
            token = page.Next(fetched).NextPageToken;
            pages.Add(fetched);
        }
        while (token.Length > 0);
        Assert.Equal([[0, 1], [2, 3], [4]], pages);
    }

    [Fact]
    public void Page_sizes_are_capped_and_forged_tokens_rejected()
    {
        Assert.Equal(Page.MaxSize, Read(new PageRequest { PageSize = 100_000 }).Size);
        Assert.Throws<InvalidArgumentException>(() => Read(new PageRequest { PageToken = "bzotMQ==" }));
        Assert.Throws<InvalidArgumentException>(() => Read(new PageRequest { PageToken = "!!" }));
        Assert.Throws<InvalidArgumentException>(() => Read(new PageRequest { PageSize = -1 }));
    }
}
