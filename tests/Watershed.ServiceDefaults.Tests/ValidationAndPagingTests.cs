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
