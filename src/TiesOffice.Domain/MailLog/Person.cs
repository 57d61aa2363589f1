namespace TiesOffice.Domain.MailLog;

/// <summary>One row of a log's <c>people.tsv</c>.</summary>
/// <param name="Address">The normalised address.</param>
/// <param name="DisplayName">The display name; may be empty.</param>
/// <param name="Department">The department; may be empty.</param>
/// <param name="JobTitle">The job title; may be empty.</param>
public sealed record Person(string Address, string DisplayName, string Department, string JobTitle);
