package main

import (
	"github.com/pulumi-kantata/pulumi-kantata/sdk/go/kantata"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// defaultMembers are the Platform Team's members unless the stack's config `members` lists others.
var defaultMembers = []string{"ada.lovelace@example.com", "alan.turing@example.com", "barbara.liskov@example.com"}

// Program is a Pulumi program in Go, on the generated SDK: a workspace group and its members, one single
// membership, an access rule, and a look-up of a person. It is an ordinary `pulumi.RunFunc`: main.go runs it inline
// through the Automation API, and `pulumi.Run(Program)` would run it as a Pulumi.yaml project.
func Program(ctx *pulumi.Context) error {
	members := defaultMembers
	if err := config.New(ctx, "").GetObject("members", &members); err != nil {
		return err
	}

	// A group as code: created when missing, renamed in place when `Name` changes, deleted with the resource.
	platform, err := kantata.NewWorkspaceGroup(ctx, "platform", &kantata.WorkspaceGroupArgs{
		Name:  pulumi.String("Platform Team"),
		Notes: pulumi.String("Runs the deploy pipeline"),
	})
	if err != nil {
		return err
	}

	// Exactly these people: "authoritative" removes anyone else. The group by its id, so the engine
	// creates the group before its members.
	people := pulumi.Array{}
	for _, email := range members {
		people = append(people, pulumi.String(email))
	}
	platformMembers, err := kantata.NewWorkspaceGroupMembers(ctx, "platform", &kantata.WorkspaceGroupMembersArgs{
		Group:   platform.ID(),
		Members: people,
		Mode:    kantata.MembershipModeAuthoritative,
	})
	if err != nil {
		return err
	}

	// One membership on its own, in a group that exists already, named by its name.
	graceInFinance, err := kantata.NewUserGroupMembership(ctx, "grace-in-finance", &kantata.UserGroupMembershipArgs{
		User:  pulumi.String("grace.hopper@example.com"),
		Group: pulumi.String("Finance"),
	})
	if err != nil {
		return err
	}

	// A rule every change must keep, judged at preview against what the group will hold after `up`.
	// Declared after the resources it covers, depending on them, so the engine checks it last.
	_, err = kantata.NewAccessRules(ctx, "access-rules", &kantata.AccessRulesArgs{
		Rules: kantata.AccessRuleArray{kantata.AccessRuleArgs{
			MaxMembers: &kantata.MaxMembersArgs{Group: pulumi.String("Platform Team"), Max: pulumi.Int(5)},
			Reason:     pulumi.String("a small team runs the deploy pipeline"),
		}},
	}, pulumi.DependsOn([]pulumi.Resource{platformMembers}))
	if err != nil {
		return err
	}

	// A look-up: an unknown address fails with the closest known one.
	ada, err := kantata.GetUser(ctx, &kantata.GetUserArgs{Email: "ada.lovelace@example.com"})
	if err != nil {
		return err
	}

	ctx.Export("platformGroupId", platform.GroupId)
	ctx.Export("platformMembers", platformMembers.Members)
	ctx.Export("graceMembershipId", graceInFinance.MembershipId)
	ctx.Export("adaUserId", pulumi.Int(ada.Id))
	return nil
}
