using Google.Rpc;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;

namespace Watershed.ServiceDefaults.Tests;

public sealed class ErrorMappingTests
{
    [Fact]
    public void Validation_failures_become_invalid_argument_with_every_field_violation()
    {
        var status = ErrorMappingInterceptor.ToStatus(new InvalidArgumentException([new("name", "is required"), new("kind", "is required")]));
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        var badRequest = Assert.Single(status.Details).Unpack<BadRequest>();
        Assert.Equal(["name", "kind"], badRequest.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public void Missing_objects_become_not_found_with_the_resource()
    {
        var status = ErrorMappingInterceptor.ToStatus(new NotFoundException("ballot", "42"));
        Assert.Equal((int)Code.NotFound, status.Code);
        var info = Assert.Single(status.Details).Unpack<ResourceInfo>();
        Assert.Equal(("ballot", "42"), (info.ResourceType, info.ResourceName));
    }

    [Fact]
    public void State_conflicts_become_failed_precondition_with_a_violation()
    {
        var status = ErrorMappingInterceptor.ToStatus(new PreconditionFailedException("QUORUM", "assemblies/1", "No quorum."));
        Assert.Equal((int)Code.FailedPrecondition, status.Code);
        Assert.Equal("QUORUM", Assert.Single(Assert.Single(status.Details).Unpack<PreconditionFailure>().Violations).Type);
    }

    [Theory]
    [InlineData(typeof(PermissionDeniedException), Code.PermissionDenied)]
    [InlineData(typeof(TimeoutException), Code.DeadlineExceeded)]
    public void Other_known_failures_keep_their_meaning(Type type, Code code)
    {
        var ex = (Exception)Activator.CreateInstance(type, "denied")!;
        Assert.Equal((int)code, ErrorMappingInterceptor.ToStatus(ex).Code);
    }

    [Fact]
    public void Unavailable_dependencies_become_unavailable()
    {
        var status = ErrorMappingInterceptor.ToStatus(new DependencyUnavailableException("consultation", "down"));
        Assert.Equal((int)Code.Unavailable, status.Code);
        Assert.Equal("consultation", Assert.Single(status.Details).Unpack<ErrorInfo>().Metadata["dependency"]);
    }

    [Fact]
    public void Unexpected_failures_become_internal_without_their_message()
    {
        var status = ErrorMappingInterceptor.ToStatus(new InvalidOperationException("connection string Host=secret"));
        Assert.Equal((int)Code.Internal, status.Code);
        Assert.DoesNotContain("secret", status.Message, StringComparison.Ordinal);
        Assert.Empty(status.Details);
    }

    /// <summary>
    /// Whatever a rule put in its message (a 1 MB value quoted without Echo, 10,000 violations, a 1 MB resource name), the
    /// status is small (under 16 KB, what the hostile corpus allows): its message and every detail text are cut with the
    /// rest counted, control characters escaped, and a BadRequest lists what fits in 4,000 characters (at most 100
    /// violations) while its message says how many there were.
    /// </summary>
    [Fact]
    public void A_huge_value_or_violation_list_makes_a_small_status()
    {
        var huge = "Ana\n" + new string('x', 1 << 20);
        var statuses = new[]
        {
            ErrorMappingInterceptor.ToStatus(new InvalidArgumentException("full_name", $"'{huge}' is not a name")),
            ErrorMappingInterceptor.ToStatus(new InvalidArgumentException(
                [.. Enumerable.Range(0, 10_000).Select(i => new FieldViolation($"items[{i}].code", $"'{huge[..1000]}' is unknown"))])),
            ErrorMappingInterceptor.ToStatus(new NotFoundException("area", huge)),
            ErrorMappingInterceptor.ToStatus(new AlreadyExistsException("member", huge, huge)),
            ErrorMappingInterceptor.ToStatus(new PreconditionFailedException("STATE", huge, huge)),
            ErrorMappingInterceptor.ToStatus(new PermissionDeniedException(huge)),
        };

        Assert.All(statuses, status =>
        {
            Assert.InRange(status.Message.Length, 1, ErrorMappingInterceptor.MaxMessage + 40);
            Assert.InRange(status.CalculateSize(), 1, 16_384);
            Assert.DoesNotContain('\n', status.Message);
        });
        Assert.StartsWith("'Ana\\u000Axxx", Assert.Single(statuses[0].Details[0].Unpack<BadRequest>().FieldViolations).Description, StringComparison.Ordinal);
        Assert.EndsWith($"… ({$"full_name: '{huge}' is not a name".Length} characters)", statuses[0].Message, StringComparison.Ordinal);

        // Each listed violation is about 340 characters here (its description cut to 300 and counted), so 11 fit in 4,000.
        var many = statuses[1].Details[0].Unpack<BadRequest>();
        Assert.Equal(11, many.FieldViolations.Count);
        Assert.Equal("items[10].code", many.FieldViolations[^1].Field);
        Assert.StartsWith("10000 invalid fields; the first 11 are listed in the details.", statuses[1].Message, StringComparison.Ordinal);

        var few = ErrorMappingInterceptor.ToStatus(new InvalidArgumentException([.. Enumerable.Range(0, 150).Select(i => new FieldViolation($"items[{i}]", "is required"))]));
        Assert.Equal(ErrorMappingInterceptor.MaxViolations, few.Details[0].Unpack<BadRequest>().FieldViolations.Count);
        Assert.StartsWith("150 invalid fields; the first 100 are listed in the details.", few.Message, StringComparison.Ordinal);
        Assert.All(many.FieldViolations, v => Assert.InRange(v.Description.Length, 1, ErrorMappingInterceptor.MaxDetail + 40));
    }
}
